package ai.vidgen.platform.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain HTTP/1.1 server on 127.0.0.1 written on sockets, so a test sees what a client really
 * did: every TCP connection is counted, each request head is kept, and a connection the client
 * closes is noticed.
 */
final class LoopbackServer implements AutoCloseable {

    /** Answers one request on its socket; the head is the request line and headers. */
    interface Handler {
        void handle(String head, Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private volatile Handler handler;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger closedByClient = new AtomicInteger();
    private final List<String> heads = new CopyOnWriteArrayList<>();

    LoopbackServer(Handler handler) {
        this.handler = handler;
        try {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "loopback-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * A server that answers {@code responseHead} (status line, headers and perhaps the first
     * bytes of a body) and then sends nothing more, until the client closes the connection.
     */
    static LoopbackServer stalling(String responseHead) {
        LoopbackServer server = new LoopbackServer(null);
        server.handler = (head, socket) -> {
            socket.getOutputStream().write(responseHead.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            server.awaitClientClose(socket);
        };
        return server;
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    int closedByClient() {
        return closedByClient.get();
    }

    List<String> heads() {
        return heads;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(socket), "loopback-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            String head = readHead(socket.getInputStream());
            if (head == null) {
                return;
            }
            heads.add(head);
            handler.handle(head, socket);
        } catch (IOException e) {
            // The client went away mid-answer; the tests look at the counters.
        }
    }

    /** Blocks until the client closes the connection (read sees the end of the stream). */
    private void awaitClientClose(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // discard
            }
        } catch (IOException e) {
            // a reset counts as closed too
        }
        closedByClient.incrementAndGet();
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    static void respond(Socket socket, int status, String headers, byte[] body) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n"
                + headers + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
