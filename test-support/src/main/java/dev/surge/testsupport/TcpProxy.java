package dev.surge.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP forwarder for fault tests: put it between a client and a real server, then
 * {@link #cut()} it (every open connection is closed and new ones are refused, as when the server
 * dies or the network splits) and {@link #restore()} it on the same port. Plain threads: it runs in
 * the test, never on an event loop.
 */
public final class TcpProxy implements AutoCloseable {

    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile int port;
    private volatile InetSocketAddress target;
    private volatile ServerSocket listener;

    private TcpProxy() {
    }

    /** Listens on a free loopback port; {@link #forwardTo} says where to. */
    public static TcpProxy listen() {
        TcpProxy proxy = new TcpProxy();
        proxy.bind(0);
        return proxy;
    }

    /** Listens on a free loopback port and forwards to the target. */
    public static TcpProxy between(String targetHost, int targetPort) {
        return listen().forwardTo(targetHost, targetPort);
    }

    public TcpProxy forwardTo(String host, int targetPort) {
        this.target = new InetSocketAddress(host, targetPort);
        return this;
    }

    public int port() {
        return port;
    }

    /** Closes every connection and stops listening. */
    public synchronized void cut() {
        closeQuietly(listener);
        listener = null;
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    /** Listens again on the same port. */
    public synchronized void restore() {
        if (listener == null) {
            bind(port);
        }
    }

    @Override
    public void close() {
        cut();
    }

    private synchronized void bind(int wanted) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted));
            listener = socket;
            port = socket.getLocalPort();
            Thread.ofPlatform().daemon().name("tcp-proxy-" + port).start(() -> accept(socket));
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot listen on port " + wanted, e);
        }
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket server = new Socket();
                server.connect(target, 2000);
                open.add(client);
                open.add(server);
                pump(client, server);
                pump(server, client);
            }
            catch (IOException stopped) {
                // the listener was cut, or the target refused: the client sees its connection close
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread.ofPlatform().daemon().start(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            }
            catch (IOException closed) {
                // one side went away
            }
            finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        });
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        }
        catch (Exception ignored) {
            // closing twice is the normal case here: both pumps of a pair close both sockets
        }
    }
}
