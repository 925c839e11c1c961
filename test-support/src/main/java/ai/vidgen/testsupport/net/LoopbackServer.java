package ai.vidgen.testsupport.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain HTTP/1.1 server on 127.0.0.1 written on sockets, so a test sees what the service really
 * did: every TCP connection is counted (a TLS handshake attempt too), and a connection the client
 * closes is noticed.
 */
public final class LoopbackServer implements AutoCloseable {

    private final ServerSocket server;
    private final String response;
    private final boolean stall;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger closedByClient = new AtomicInteger();

    private LoopbackServer(String response, boolean stall) {
        this.response = response;
        this.stall = stall;
        try {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "loopback-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Answers every request with {@code status}, the extra header lines given, and no body. */
    public static LoopbackServer answering(int status, String... headerLines) {
        StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " X\r\nContent-Length: 0\r\nConnection: close\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        return new LoopbackServer(head.append("\r\n").toString(), false);
    }

    /** Answers {@code responseHead} (status, headers, perhaps some body) and then nothing, until the client leaves. */
    public static LoopbackServer stalling(String responseHead) {
        return new LoopbackServer(responseHead, true);
    }

    public int port() {
        return server.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    public int closedByClient() {
        return closedByClient.get();
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
            if (!readHead(socket.getInputStream())) {
                return;
            }
            OutputStream out = socket.getOutputStream();
            out.write(response.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (stall) {
                awaitClientClose(socket.getInputStream());
            }
        } catch (IOException e) {
            // The client went away; the tests look at the counters.
        }
    }

    private void awaitClientClose(InputStream in) {
        try {
            while (in.read() >= 0) {
                // discard
            }
        } catch (IOException e) {
            // a reset is a close too
        }
        closedByClient.incrementAndGet();
    }

    /** Reads up to the blank line after the headers; false when the client left first (or spoke TLS). */
    private static boolean readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
            if (matched == 4) {
                return true;
            }
        }
        return false;
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
