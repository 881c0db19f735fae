package dev.jruntime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jruntime.spec.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** --version, spec, features, and the documents the runtime prints, checked against the schemas. */
class InfoVerbsIT {
    private final Jr jr = new Jr();

    @AfterEach
    void cleanup() {
        jr.close();
    }

    @Test
    void versionHasRuncsShape() {
        Jr.Result r = jr.jr("--version").ok();
        assertTrue(r.out().matches("jruntime version \\S+\ncommit: \\S+\nspec: 1\\.3\\.0\n"), r.out());
        assertEquals("", r.err(), "no JVM warnings");
    }

    @Test
    void specWritesAValidConfigAndNeverOverwrites() throws Exception {
        Path dir = Files.createDirectory(jr.work.resolve("spec"));
        jr.jr("spec", "--bundle", dir.toString()).ok();
        assertEquals("1.3.0", ConfigLoader.parse(Files.readAllBytes(dir.resolve("config.json"))).spec().ociVersion());
        Jr.Result again = jr.jr("spec", "--bundle", dir.toString());
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("file exists"), again.err());
    }

    @Test
    void featuresAndStateMatchTheirSchemas() throws Exception {
        JsonNode features = Jr.JSON.readTree(jr.jr("features").ok().out());
        assertEquals(List.of(), ConfigLoader.schemaProblems("features-schema.json", features));
        assertTrue(features.at("/linux/seccomp/actions").toString().contains("SCMP_ACT_NOTIFY"));
        assertTrue(features.at("/linux/namespaces").toString().contains("time"));

        String id = jr.newId();
        jr.jr("create", "--bundle", jr.bundle(Jr.config("true")).toString(), id).ok();
        JsonNode state = jr.state(id);
        assertEquals(List.of(), ConfigLoader.schemaProblems("state-schema.json", state));
        JsonNode list = Jr.JSON.readTree(jr.jr("list", "--format", "json").ok().out());
        assertEquals(id, list.get(0).get("id").asText());
        assertEquals("created", list.get(0).get("status").asText());
        assertEquals(id + "\n", jr.jr("list", "-q").ok().out());
    }
}
