-- The electorate: candidates on the ballot and the register of voters.

CREATE TABLE candidates (
    candidate_id  text PRIMARY KEY,
    name          text NOT NULL,
    party         text NOT NULL,
    biography     text NOT NULL,
    platform      text NOT NULL,
    photo_url     text NOT NULL,
    registered_at timestamptz NOT NULL
);

CREATE TABLE voters (
    voter_id            text PRIMARY KEY,
    name                text NOT NULL,
    date_of_birth       date NOT NULL,
    gender              text NOT NULL CHECK (gender IN ('female', 'male', 'other')),
    nationality         text NOT NULL,
    registration_number text NOT NULL UNIQUE,
    street              text NOT NULL,
    city                text NOT NULL,
    state               text NOT NULL,
    country             text NOT NULL,
    postcode            text NOT NULL,
    email               text NOT NULL,
    phone               text NOT NULL,
    cell                text NOT NULL,
    picture_url         text NOT NULL,
    registered_age      integer NOT NULL CHECK (registered_age >= 18),
    registered_at       timestamptz NOT NULL
);

-- Turnout is counted per state.
CREATE INDEX voters_state_idx ON voters (state);
