package io.livetally.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlScriptTest {
    @TempDir
    Path dir;

    @Test
    void fillsPlaceholdersFromVariables() {
        assertEquals("'u' 'p'", SqlScript.substitute("'${JDBC_USER}' '${JDBC_PASSWORD}'", Map.of("JDBC_USER", "u", "JDBC_PASSWORD", "p")));
    }

    @Test
    void readsAPlaceholderFromTheFileItsFileVariableNamesTrimmed() throws Exception {
        Path password = Files.writeString(dir.resolve("password"), "s3cret\n");
        Map<String, String> env = Map.of("JDBC_PASSWORD_FILE", password.toString());
        assertEquals("'s3cret'", SqlScript.substitute("'${JDBC_PASSWORD}'", env));
    }

    @Test
    void fillsPlaceholdersInAVariablesValueOnceAndTakesAFilesContentAsItIs() throws Exception {
        Path password = Files.writeString(dir.resolve("password"), "p${X}");
        Map<String, String> env = Map.of(
                "KAFKA_SASL_JAAS_CONFIG", "username=\"u\" password=\"${KAFKA_PASSWORD}\";",
                "KAFKA_PASSWORD_FILE", password.toString(),
                "X", "never");
        assertEquals("'username=\"u\" password=\"p${X}\";'", SqlScript.substitute("'${KAFKA_SASL_JAAS_CONFIG}'", env));
    }

    @Test
    void refusesBothFormsAMissingFileAndAnUnsetVariable() {
        Map<String, String> both = Map.of("A", "x", "A_FILE", "/nonexistent");
        assertEquals("set A or A_FILE, not both",
                assertThrows(IllegalArgumentException.class, () -> SqlScript.substitute("${A}", both)).getMessage());
        String missingFile = assertThrows(IllegalArgumentException.class,
                () -> SqlScript.substitute("${A}", Map.of("A_FILE", dir.resolve("none").toString()))).getMessage();
        assertTrue(missingFile.startsWith("cannot read A_FILE=" + dir.resolve("none")), missingFile);
        assertEquals("unset environment variables in SQL script: [A, B]",
                assertThrows(IllegalArgumentException.class, () -> SqlScript.substitute("${A} ${B}", Map.of())).getMessage());
    }
}
