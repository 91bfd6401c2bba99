import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Holds authenticated Server-Sent Event streams on one server and measures the fan-out of what they
 * carry (bench/sse-hold runs it). Plain Netty on epoll: a channel and a few small objects per stream, so
 * one client JVM holds thousands.
 *
 * <pre>
 * hold --server 127.0.0.1:9384 --path /api/ops/events --connections N --token-file F
 *      [--rate 1000] [--max-pending 400] [--timeout-ms 15000] [--sources 127.0.0.2,...]
 * report LOG...
 * </pre>
 *
 * {@code hold} opens N streams (each sends {@code Authorization: Bearer <the token in F>}; source addresses
 * taken in turn; at most {@code rate} new ones per second and {@code max-pending} unanswered at once) and
 * keeps them until the JVM is stopped (SIGTERM), printing a {@code STATUS} line whenever a count changes.
 * For every {@code data:} line carrying {@code "announcedAt":<epoch ms>} it records receipt minus that (the
 * server's clock, same machine), per event (named by that instant). On SIGTERM it prints its histogram ({@code HIST}) and the
 * streams each event reached ({@code EVENTS}). {@code report} merges the logs of several client JVMs:
 * p50/p90/p99/max (nearest rank) and the fewest streams any one event reached.
 */
public final class SseHold {

    /** Latencies are kept in 1 ms buckets up to this; later ones go to the last bucket. */
    static final int MAX_MS = 60_000;

    static final byte[] ANNOUNCED_AT = "\"announcedAt\"".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("hold")) {
            new Holder(options(args)).run();
        }
        else if (args.length > 0 && args[0].equals("report")) {
            report(List.of(args).subList(1, args.length));
        }
        else {
            System.err.println("usage: hold --option value... | report LOG...");
            System.exit(2);
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>(Map.of("server", "127.0.0.1:9384", "path", "/api/ops/events",
                "connections", "1000", "rate", "1000", "max-pending", "400", "timeout-ms", "15000",
                "sources", "127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5,127.0.0.6,127.0.0.7,127.0.0.8,127.0.0.9",
                "token-file", ""));
        for (int i = 1; i + 1 < args.length; i += 2) {
            String name = args[i].substring(2);
            if (!args[i].startsWith("--") || !o.containsKey(name)) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            o.put(name, args[i + 1]);
        }
        return o;
    }

    static final class Holder {
        final int target;
        final int rate;
        final int maxPending;
        final long timeoutMs;
        final InetSocketAddress server;
        final String host;
        final String path;
        final String token;
        final InetAddress[] sources;
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        final Bootstrap bootstrap;
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger pending = new AtomicInteger();
        final AtomicInteger connected = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final AtomicLong deliveries = new AtomicLong();
        final AtomicLongArray histogram = new AtomicLongArray(MAX_MS + 1);
        final Map<Long, AtomicInteger> perEvent = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> reasons = new ConcurrentHashMap<>();

        Holder(Map<String, String> o) throws Exception {
            target = Integer.parseInt(o.get("connections"));
            rate = Integer.parseInt(o.get("rate"));
            maxPending = Integer.parseInt(o.get("max-pending"));
            timeoutMs = Long.parseLong(o.get("timeout-ms"));
            host = o.get("server");
            String[] hp = host.split(":");
            server = new InetSocketAddress(InetAddress.getByName(hp[0]), Integer.parseInt(hp[1]));
            path = o.get("path");
            token = Files.readString(Path.of(o.get("token-file"))).strip();
            String[] s = o.get("sources").split(",");
            sources = new InetAddress[s.length];
            for (int i = 0; i < s.length; i++) {
                sources[i] = InetAddress.getByName(s[i]);
            }
            bootstrap = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeoutMs)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            channel.pipeline().addLast(new HttpClientCodec(), new StreamHandler());
                        }
                    });
        }

        void run() throws Exception {
            Runtime.getRuntime().addShutdownHook(new Thread(this::printResults));
            long tickMs = 10;
            double perTick = rate * tickMs / 1000.0;
            double[] credit = { 0 };
            group.scheduleAtFixedRate(() -> {
                credit[0] = Math.min(credit[0] + perTick, Math.max(1, perTick) * 10);
                while (credit[0] >= 1 && opened.get() < target && pending.get() < maxPending) {
                    credit[0] -= 1;
                    open(opened.getAndIncrement());
                }
            }, 0, tickMs, TimeUnit.MILLISECONDS);
            String last = "";
            while (true) {
                String status = status();
                if (!status.equals(last)) {
                    System.out.println(status);
                    last = status;
                }
                Thread.sleep(1000);
            }
        }

        String status() {
            boolean done = opened.get() >= target && pending.get() == 0;
            return "STATUS opened=" + opened.get() + " connected=" + connected.get() + " pending=" + pending.get()
                    + " failed=" + failed.get() + " closed=" + closed.get() + " deliveries=" + deliveries.get()
                    + " done=" + (done ? 1 : 0) + " reasons=" + reasons;
        }

        void open(int n) {
            pending.incrementAndGet();
            InetSocketAddress local = new InetSocketAddress(sources[n % sources.length], 0);
            bootstrap.connect(server, local).addListener(connecting -> {
                if (!connecting.isSuccess()) {
                    answered(false, connecting.cause().getClass().getSimpleName());
                }
            });
        }

        void answered(boolean ok, String reason) {
            pending.decrementAndGet();
            if (ok) {
                connected.incrementAndGet();
            }
            else {
                failed.incrementAndGet();
                reasons.computeIfAbsent(reason, key -> new AtomicInteger()).incrementAndGet();
            }
        }

        /**
         * One {@code data:} line, as bytes: its {@code announcedAt} gives the latency and names the event
         * (one event, one announcing instant), read without building a string, so the client spends little
         * of the cores it shares with the server.
         */
        void delivered(byte[] line, int length, long now) {
            long announced = number(line, length, ANNOUNCED_AT);
            if (announced < 0) {
                return;
            }
            long latency = Math.max(0, Math.min(MAX_MS, now - announced));
            histogram.incrementAndGet((int) latency);
            deliveries.incrementAndGet();
            perEvent.computeIfAbsent(announced, key -> new AtomicInteger()).incrementAndGet();
        }

        /** The whole number after {@code "name":} (spaces allowed), or -1. */
        static long number(byte[] line, int length, byte[] name) {
            int at = indexOf(line, length, name);
            if (at < 0) {
                return -1;
            }
            int i = at + name.length;
            while (i < length && (line[i] == ' ' || line[i] == ':')) {
                i++;
            }
            long value = 0;
            int digits = 0;
            while (i < length && line[i] >= '0' && line[i] <= '9') {
                value = value * 10 + (line[i++] - '0');
                digits++;
            }
            return digits == 0 ? -1 : value;
        }

        static int indexOf(byte[] line, int length, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (line[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        void printResults() {
            System.out.println(status());
            StringBuilder hist = new StringBuilder("HIST");
            for (int ms = 0; ms <= MAX_MS; ms++) {
                long count = histogram.get(ms);
                if (count > 0) {
                    hist.append(' ').append(ms).append(':').append(count);
                }
            }
            System.out.println(hist);
            StringBuilder events = new StringBuilder("EVENTS");
            perEvent.forEach((id, count) -> events.append(' ').append(id).append(':').append(count.get()));
            System.out.println(events);
            System.out.println("CONNECTED " + connected.get());
            System.out.flush();
        }

        /** One stream: the request once connected, the response's status, then its lines. */
        final class StreamHandler extends SimpleChannelInboundHandler<HttpObject> {

            private byte[] line = new byte[2048];
            private int length;
            private boolean answered;
            private boolean ok;

            @Override
            public void channelActive(ChannelHandlerContext context) {
                DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
                request.headers().set(HttpHeaderNames.HOST, host)
                        .set(HttpHeaderNames.ACCEPT, "text/event-stream")
                        .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
                context.writeAndFlush(request);
                context.executor().schedule(() -> {
                    if (!answered) {
                        answered = true;
                        answered(false, "timeout");
                        context.close();
                    }
                }, timeoutMs, TimeUnit.MILLISECONDS);
            }

            @Override
            protected void channelRead0(ChannelHandlerContext context, HttpObject message) {
                if (message instanceof HttpResponse response && !answered) {
                    answered = true;
                    ok = response.status().code() == 200;
                    answered(ok, "status " + response.status().code());
                    if (!ok) {
                        context.close();
                    }
                }
                if (message instanceof HttpContent content && ok) {
                    ByteBuf bytes = content.content();
                    long now = System.currentTimeMillis();
                    for (int i = bytes.readerIndex(), end = bytes.writerIndex(); i < end; i++) {
                        byte b = bytes.getByte(i);
                        if (b == '\n') {
                            if (length > 5 && line[0] == 'd' && line[1] == 'a' && line[2] == 't' && line[3] == 'a' && line[4] == ':') {
                                delivered(line, length, now);
                            }
                            length = 0;
                        }
                        else {
                            if (length == line.length) {
                                line = java.util.Arrays.copyOf(line, line.length * 2);
                            }
                            line[length++] = b;
                        }
                    }
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext context) {
                if (!answered) {
                    answered = true;
                    answered(false, "closed before answering");
                }
                else if (ok) {
                    closed.incrementAndGet();
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
                context.close();
            }
        }
    }

    static void report(List<String> logs) throws Exception {
        long[] histogram = new long[MAX_MS + 1];
        Map<String, Integer> perEvent = new TreeMap<>();
        int connected = 0;
        for (String log : logs) {
            for (String line : Files.readAllLines(Path.of(log))) {
                if (line.startsWith("HIST")) {
                    for (String pair : line.substring(4).strip().split(" ")) {
                        if (!pair.isEmpty()) {
                            String[] kv = pair.split(":");
                            histogram[Integer.parseInt(kv[0])] += Long.parseLong(kv[1]);
                        }
                    }
                }
                else if (line.startsWith("EVENTS")) {
                    for (String pair : line.substring(6).strip().split(" ")) {
                        if (!pair.isEmpty()) {
                            String[] kv = pair.split(":");
                            perEvent.merge(kv[0], Integer.parseInt(kv[1]), Integer::sum);
                        }
                    }
                }
                else if (line.startsWith("CONNECTED")) {
                    connected += Integer.parseInt(line.substring(9).strip());
                }
            }
        }
        long total = 0;
        for (long count : histogram) {
            total += count;
        }
        List<String> figures = new ArrayList<>();
        figures.add("streams=" + connected);
        figures.add("events=" + perEvent.size());
        figures.add("deliveries=" + total);
        figures.add("expected=" + (long) perEvent.size() * connected);
        figures.add("fewest_streams_per_event=" + perEvent.values().stream().mapToInt(Integer::intValue).min().orElse(0));
        for (double p : new double[] { 0.50, 0.90, 0.99, 1.0 }) {
            figures.add((p == 1.0 ? "max" : "p" + (int) Math.round(p * 100)) + "_ms=" + percentile(histogram, total, p));
        }
        System.out.println("SUMMARY " + String.join(" ", figures));
    }

    /** Nearest rank: the smallest latency with at least {@code p} of the deliveries at or below it. */
    static long percentile(long[] histogram, long total, double p) {
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(p * total));
        long seen = 0;
        for (int ms = 0; ms < histogram.length; ms++) {
            seen += histogram[ms];
            if (seen >= rank) {
                return ms;
            }
        }
        return histogram.length - 1;
    }
}
