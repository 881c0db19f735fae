package dev.jruntime.spec;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a fresh JVM by {@link StartupCostTest}: {@code timing} prints the cost of the first and
 * second {@link ConfigLoader#load}; {@code lazy} only initialises the package's classes.
 */
public final class LoadTiming {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("lazy")) {
            Class.forName("dev.jruntime.spec.ConfigLoader", true, LoadTiming.class.getClassLoader());
            Class.forName("dev.jruntime.spec.MountOptions", true, LoadTiming.class.getClassLoader());
            Class.forName("dev.jruntime.spec.Capabilities", true, LoadTiming.class.getClassLoader());
            Class.forName("dev.jruntime.spec.Namespaces", true, LoadTiming.class.getClassLoader());
            System.out.println("INITIALISED");
            return;
        }
        if (args[0].equals("phases")) {
            byte[] raw = DefaultConfig.text().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            var m = ConfigLoader.mapper();
            long t1 = System.nanoTime();
            var tree = m.readTree(raw);
            long t2 = System.nanoTime();
            SpecReader.spec(tree);
            long t3 = System.nanoTime();
            ConfigLoader.parse(raw);
            long t4 = System.nanoTime();
            System.out.printf("mapper %.1f ms, readTree %.1f ms, SpecReader %.1f ms, rest (schema load+validate+checks) %.1f ms%n",
                    (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6);
            return;
        }
        Path bundle = Files.createTempDirectory("jr-timing");
        try {
            Files.writeString(bundle.resolve("config.json"), DefaultConfig.text());
            long t0 = System.nanoTime();
            ConfigLoader.load(bundle);
            long t1 = System.nanoTime();
            ConfigLoader.load(bundle);
            long t2 = System.nanoTime();
            System.out.printf("first load %.1f ms, second load %.2f ms%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        } finally {
            Files.deleteIfExists(bundle.resolve("config.json"));
            Files.deleteIfExists(bundle);
        }
    }
}
