/** Structured logs: one JSON object per line on stdout, as Kubernetes log collectors expect. */
export const logLevels = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof logLevels)[number];

export type Fields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
}

export function createLogger(
  service: string,
  level: LogLevel = "info",
  write: (line: string) => void = (line) => process.stdout.write(line + "\n"),
  base: Fields = {},
): Logger {
  const threshold = logLevels.indexOf(level);
  const emit = (lvl: LogLevel, msg: string, fields?: Fields): void => {
    if (logLevels.indexOf(lvl) < threshold) return;
    write(
      JSON.stringify(
        { time: new Date().toISOString(), level: lvl, service, msg, ...base, ...fields },
        errors,
      ),
    );
  };
  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
    child: (fields) => createLogger(service, level, write, { ...base, ...fields }),
  };
}

/** Errors serialise to {} by default; keep their name and message. */
function errors(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}
