package io.opentrackers.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a benchmark's CPU went, read from Linux's /proc: the whole machine (busy and idle), this JVM's threads by
 * name (native ones too: the JIT compilers, GC), and one PostgreSQL server with its backends. It tells whether the
 * model runs were slow by themselves or waited for the cores while other work ran beside them.
 */
record CpuTime(long machineBusyTicks, long machineIdleTicks, Map<String, Long> threadTicks, long postgresTicks) {

    /** Linux reports CPU time in clock ticks of 10 ms (USER_HZ 100). */
    static final double SECONDS_PER_TICK = 0.01;

    /** @param databasePort the port of the PostgreSQL server whose processes count */
    static CpuTime now(int databasePort) throws IOException {
        // /proc/stat's first line: cpu user nice system idle iowait irq softirq steal ...
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]) + Long.parseLong(cpu[3])
                + Long.parseLong(cpu[6]) + Long.parseLong(cpu[7]) + Long.parseLong(cpu[8]);
        long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
        Map<String, Long> threads = new TreeMap<>();
        for (Path task : list(Path.of("/proc/self/task"))) {
            Stat stat = Stat.of(task);
            if (stat != null) {
                // "embedding-helper-3", "C2 CompilerThread1" …: one line per kind of thread
                threads.merge(stat.name.replaceAll("[-#]?\\d+$", ""), stat.ticks, Long::sum);
            }
        }
        return new CpuTime(busy, idle, threads, postgres(databasePort));
    }

    /** The server listening on the port (its command line names it) and its children, the backends. */
    private static long postgres(int port) throws IOException {
        Map<String, Stat> servers = new TreeMap<>();
        String postmaster = null;
        for (Path process : list(Path.of("/proc"))) {
            if (!process.getFileName().toString().matches("\\d+")) {
                continue;
            }
            Stat stat = Stat.of(process);
            if (stat == null || !stat.name.equals("postgres")) {
                continue;
            }
            servers.put(process.getFileName().toString(), stat);
            try {
                String command = Files.readString(process.resolve("cmdline")).replace('\0', ' ') + " ";
                if (command.contains(" -p " + port + " ")) {
                    postmaster = process.getFileName().toString();
                }
            } catch (IOException gone) {
                // ended between listing and reading
            }
        }
        long ticks = 0;
        for (Map.Entry<String, Stat> server : servers.entrySet()) {
            if (server.getKey().equals(postmaster) || server.getValue().parent.equals(postmaster)) {
                ticks += server.getValue().ticks;
            }
        }
        return ticks;
    }

    private static List<Path> list(Path folder) throws IOException {
        try (var entries = Files.list(folder)) {
            return entries.toList();
        }
    }

    /** The fields of /proc/…/stat that count here: name, parent, user + system time. */
    private record Stat(String name, String parent, long ticks) {
        static Stat of(Path process) {
            try {
                String line = Files.readString(process.resolve("stat"));
                String[] after = line.substring(line.lastIndexOf(')') + 2).split(" ");
                return new Stat(line.substring(line.indexOf('(') + 1, line.lastIndexOf(')')), after[1],
                        Long.parseLong(after[11]) + Long.parseLong(after[12]));
            } catch (IOException | RuntimeException gone) {
                return null; // the process or thread ended between listing and reading
            }
        }
    }

    CpuTime minus(CpuTime earlier) {
        Map<String, Long> spent = new TreeMap<>();
        threadTicks.forEach((name, ticks) -> spent.put(name, ticks - earlier.threadTicks.getOrDefault(name, 0L)));
        return new CpuTime(machineBusyTicks - earlier.machineBusyTicks, machineIdleTicks - earlier.machineIdleTicks,
                spent, postgresTicks - earlier.postgresTicks);
    }

    /** CPU seconds of this JVM's threads whose name starts with the prefix. */
    double threadSeconds(String prefix) {
        return threadTicks.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(Map.Entry::getValue).sum() * SECONDS_PER_TICK;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "machine busy %.2f s, idle %.2f s; this JVM %.2f s (", machineBusyTicks * SECONDS_PER_TICK,
                machineIdleTicks * SECONDS_PER_TICK, threadSeconds("")));
        threadTicks.entrySet().stream().filter(e -> e.getValue() >= 5)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> text.append(String.format(Locale.ROOT, "%s %.2f, ", e.getKey(),
                        e.getValue() * SECONDS_PER_TICK)));
        return text.append(String.format(Locale.ROOT, "…); PostgreSQL %.2f s", postgresTicks * SECONDS_PER_TICK))
                .toString();
    }
}
