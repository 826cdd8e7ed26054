package io.tocsin.bench.rules;

import io.tocsin.schema.HostMetric;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import java.util.Map;

/**
 * The records of one phase, generated deterministically so the copy baseline and the rules service get exactly
 * the same ones, and the bench knows exactly which alarm events the rules service owes.
 *
 * <p>Samples come in <em>rounds</em>: in each round every host sends one sample of each {@link Series} (five
 * samples a host: CPU, RAM, disk on {@code /} and on {@code /data}, swap). Values are below the default
 * thresholds (docs/alarms.md: warning above 80 %, swap above 5 %) except on a series' <em>crossing rounds</em>:
 * there it sends {@link Series#high} (above the critical level), and in the very next round a normal value
 * again. Each crossing therefore owes one CREATED (caused by the high sample) and one ENDED (caused by the next
 * sample). Series {@code host.disk.usage /data} never crosses, so every disk alarm is the {@code /} one and
 * events can be matched by host and type alone. A series crosses on the rounds {@code r} with
 * {@code (r + offset) % crossingEvery == 0}, {@code offset} spreading the hosts' crossings over the phase; the
 * last round never crosses, so every crossing is also cleared inside the phase.
 *
 * <p>Raw alarms (type {@link #RAW_ALARM_TYPE}, no severity: the rules fill it in) are raised spread over the
 * rounds and each cleared one round after its raise; each owes a CREATED and an ENDED.
 *
 * <p>Owed events are numbered: the metric events of series {@code s} occupy slots {@code base[s]} onward
 * (CREATED of its j-th crossing at {@code 2j}, its ENDED at {@code 2j + 1}), then raw alarm {@code n}'s CREATED
 * and ENDED at {@code metricEvents + 2n} and {@code + 1}. Immutable and thread-safe.
 */
final class Workload {

    /** Type of the raw alarms: a catalogue event type whose severity (CRITICAL) the rules fill in. */
    static final String RAW_ALARM_TYPE = "MySqlDisconnected";
    static final String CLUSTER = "bench";

    /** The per-host metric series of a round, in the order they are sent. */
    enum Series {
        CPU("host.cpu.usage", "", "HostCpuUsage", 95, 5, 70),
        RAM("host.ram.usage", "", "HostRamUsage", 95, 20, 75),
        DISK_ROOT("host.disk.usage", "/", "HostDiskUsage", 95, 30, 75),
        DISK_DATA("host.disk.usage", "/data", null, 0, 30, 75),
        SWAP("host.swap.usage", "", "HostSwapping", 25, 0, 4);

        final String metric;
        final String instance;
        /** The alarm type a crossing raises; null for a series that never crosses. */
        final String alarmType;
        final double high;
        final double normalLow;
        final double normalHigh;

        Series(String metric, String instance, String alarmType, double high, double normalLow, double normalHigh) {
            this.metric = metric;
            this.instance = instance;
            this.alarmType = alarmType;
            this.high = high;
            this.normalLow = normalLow;
            this.normalHigh = normalHigh;
        }
    }

    static final Series[] SERIES = Series.values();
    /** Series that cross, i.e. owe events; their index in this array is the "crossing series" index. */
    static final Series[] CROSSING = {Series.CPU, Series.RAM, Series.DISK_ROOT, Series.SWAP};
    private static final Map<String, Integer> CROSSING_BY_TYPE = Map.of("HostCpuUsage", 0, "HostRamUsage", 1, "HostDiskUsage", 2,
            "HostSwapping", 3);

    /** Receives the records of a phase in sending order. */
    interface Sink {
        /**
         * One sample of {@code round}; {@code owedSlot} is the owed event it causes, or -1.
         */
        void sample(int round, String key, HostMetric sample, int owedSlot);

        /** A raise or clear sent during {@code round}; {@code owedSlot} is the event it causes. */
        void rawAlarm(int round, String key, RawAlarm alarm, int owedSlot);
    }

    private final String tag;
    private final int hosts;
    private final int rounds;
    private final int rawAlarms;
    private final int crossingEvery;
    private final int[] seriesBase;
    private final int metricEvents;

    /**
     * @param tag           names this phase's hosts ({@code tag-h<i>}) and raw alarm source ({@code tag})
     * @param hosts         hosts, at least 1
     * @param rounds        rounds of samples (0 for raw alarms only)
     * @param rawAlarms     raw alarms, each raised and cleared
     * @param crossingEvery a series crosses once every this many rounds (at least 2); 0 = never
     */
    Workload(String tag, int hosts, int rounds, int rawAlarms, int crossingEvery) {
        if (hosts < 1 || rounds < 0 || rawAlarms < 0 || crossingEvery < 0 || crossingEvery == 1) {
            throw new IllegalArgumentException("hosts >= 1, rounds >= 0, rawAlarms >= 0, crossingEvery 0 or >= 2");
        }
        this.tag = tag;
        this.hosts = hosts;
        this.rounds = rounds;
        this.rawAlarms = rawAlarms;
        this.crossingEvery = crossingEvery;
        this.seriesBase = new int[hosts * CROSSING.length + 1];
        long total = 0;
        for (int s = 0; s < hosts * CROSSING.length; s++) {
            seriesBase[s] = (int) total;
            total += 2L * crossings(s);
        }
        seriesBase[hosts * CROSSING.length] = (int) total;
        if (total + 2L * rawAlarms > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many owed events for one phase");
        }
        this.metricEvents = (int) total;
    }

    String tag() {
        return tag;
    }

    int hosts() {
        return hosts;
    }

    int rounds() {
        return rounds;
    }

    int rawAlarms() {
        return rawAlarms;
    }

    long samples() {
        return (long) rounds * hosts * SERIES.length;
    }

    long records() {
        return samples() + 2L * rawAlarms;
    }

    /** Samples above a threshold (each one a crossing). */
    long crossingSamples() {
        return metricEvents / 2;
    }

    int metricEvents() {
        return metricEvents;
    }

    int owedEvents() {
        return metricEvents + 2 * rawAlarms;
    }

    /** Crossing-series count: 4 a host. */
    int crossingSeries() {
        return hosts * CROSSING.length;
    }

    String host(int index) {
        return tag + "-h" + index;
    }

    /** The host index of {@code hostname} when it is one of this phase's hosts, else -1. */
    int hostIndex(String hostname) {
        String prefix = tag + "-h";
        if (!hostname.startsWith(prefix)) {
            return -1;
        }
        try {
            int index = Integer.parseInt(hostname.substring(prefix.length()));
            return index >= 0 && index < hosts ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The crossing series of {@code host} and alarm {@code type}, or -1 when the type is not a crossing series' type. */
    static int crossingIndex(String type) {
        return CROSSING_BY_TYPE.getOrDefault(type, -1);
    }

    int seriesOf(int host, int crossingIndex) {
        return host * CROSSING.length + crossingIndex;
    }

    /** Owed metric events of crossing series {@code s}: two per crossing. */
    int seriesEvents(int s) {
        return seriesBase[s + 1] - seriesBase[s];
    }

    int seriesBase(int s) {
        return seriesBase[s];
    }

    int rawSlot(int alarm, boolean ended) {
        return metricEvents + 2 * alarm + (ended ? 1 : 0);
    }

    /** Whether crossing series {@code s} sends its high value in {@code round}. */
    boolean high(int s, int round) {
        return crossingEvery > 0 && round < rounds - 1 && Math.floorMod(round + offset(s), crossingEvery) == 0;
    }

    private int crossings(int s) {
        if (crossingEvery == 0 || rounds < 2) {
            return 0;
        }
        int first = Math.floorMod(-offset(s), crossingEvery);
        int last = rounds - 2;
        return first > last ? 0 : (last - first) / crossingEvery + 1;
    }

    private int offset(int s) {
        return Math.floorMod(mix(s * 31L + 7), crossingEvery);
    }

    /** Rounds over which raw alarms are spread: at least two (raises, then clears). */
    private int alarmRounds() {
        return rawAlarms == 0 ? rounds : Math.max(rounds, 2);
    }

    /** Emits every record of the phase, round by round, in the order they are to be sent. */
    void emit(Sink sink) {
        int alarmRounds = alarmRounds();
        for (int round = 0; round < alarmRounds; round++) {
            if (round < rounds) {
                emitSamples(round, sink);
            }
            if (round > 0) {
                for (int n = firstRaised(round - 1, alarmRounds); n < firstRaised(round, alarmRounds); n++) {
                    sink.rawAlarm(round, tag + ":" + n, rawAlarm(n, RawAlarmState.CLEARED), rawSlot(n, true));
                }
            }
            for (int n = firstRaised(round, alarmRounds); n < firstRaised(round + 1, alarmRounds); n++) {
                sink.rawAlarm(round, tag + ":" + n, rawAlarm(n, RawAlarmState.RAISED), rawSlot(n, false));
            }
        }
    }

    /** The first raw alarm raised in {@code round}: raises are spread evenly over all rounds but the last. */
    private int firstRaised(int round, int alarmRounds) {
        int raisingRounds = alarmRounds - 1;
        if (raisingRounds <= 0) {
            return 0;
        }
        return (int) ((long) rawAlarms * Math.min(round, raisingRounds) / raisingRounds);
    }

    private void emitSamples(int round, Sink sink) {
        for (int h = 0; h < hosts; h++) {
            String host = host(h);
            int crossing = 0;
            for (Series series : SERIES) {
                double value = normal(series, h, round);
                int slot = -1;
                if (series.alarmType != null) {
                    int s = seriesOf(h, crossing++);
                    if (high(s, round)) {
                        value = series.high;
                        slot = seriesBase[s] + 2 * crossingOrdinal(s, round);
                    } else if (round > 0 && high(s, round - 1)) {
                        slot = seriesBase[s] + 2 * crossingOrdinal(s, round - 1) + 1;
                    }
                }
                sink.sample(round, host, HostMetric.newBuilder().setHost(host).setCluster(CLUSTER).setMetric(series.metric)
                        .setInstance(series.instance).setValue(value).build(), slot);
            }
        }
    }

    /** Which crossing of series {@code s} (0, 1, ...) happens in {@code round}, a crossing round. */
    private int crossingOrdinal(int s, int round) {
        return (round - Math.floorMod(-offset(s), crossingEvery)) / crossingEvery;
    }

    /** A normal (below-threshold) value, varying by host and round, one decimal. */
    private static double normal(Series series, int host, int round) {
        double unit = Math.floorMod(mix(host * 1_000_003L + round * 31L + series.ordinal()), 1000) / 1000.0;
        return Math.round((series.normalLow + unit * (series.normalHigh - series.normalLow)) * 10) / 10.0;
    }

    private RawAlarm rawAlarm(int n, RawAlarmState state) {
        RawAlarm.Builder alarm = RawAlarm.newBuilder().setSource(tag).setAlarmId(Integer.toString(n)).setState(state)
                .setCluster(CLUSTER).setHostname(host(n % hosts));
        if (state == RawAlarmState.RAISED) {
            alarm.setType(RAW_ALARM_TYPE).setTitle("Bench alarm " + n).setMessage("Raised by tocsin-bench to measure the rules service.");
        }
        return alarm.build();
    }

    /** A cheap, well-spread hash (SplitMix64's finaliser), so crossings and values look random but repeat exactly. */
    private static long mix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & Long.MAX_VALUE;
    }
}
