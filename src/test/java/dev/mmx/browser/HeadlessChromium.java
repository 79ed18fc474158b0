package dev.mmx.browser;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Drives a headless Chromium over the DevTools protocol with nothing but the
 * JDK: the browser is started on a page, its DevTools port is read from the
 * line it prints, and commands go over {@link java.net.http.WebSocket}.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://[^/]+)/");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Gson GSON = new Gson();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    /** The chromium binary on PATH, or null when there is none. */
    public static Path find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Starts Chromium with a viewport of the given size and returns once {@code url} has loaded. */
    public static HeadlessChromium open(Path binary, String url, int width, int height) throws Exception {
        Path profile = Files.createTempDirectory("mmx-chromium-");
        List<String> cmd = List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                "--window-size=" + width + "," + height, "about:blank");
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String base = devToolsBase(p);
            HeadlessChromium c = new HeadlessChromium(p, profile, pageSocket(base.replaceFirst("^ws:", "http:")));
            c.send("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                    "deviceScaleFactor", 1, "mobile", false));
            c.send("Page.navigate", Map.of("url", url));
            c.awaitLoad(url);
            return c;
        } catch (Exception e) {
            p.destroyForcibly();
            deleteTree(profile);
            throw e;
        }
    }

    /** Reads stderr until Chromium says where DevTools listens; keeps draining it afterwards. */
    private static String devToolsBase(Process p) throws Exception {
        CompletableFuture<String> found = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            List<String> seen = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        found.complete(m.group(1));
                    } else if (seen.size() < 20) {
                        seen.add(line);
                    }
                }
            } catch (IOException e) {
                // the browser went away; the future below says so
            }
            found.completeExceptionally(new IllegalStateException("chromium exited without a DevTools port: "
                    + String.join("\n", seen)));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        return found.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private HeadlessChromium(Process process, Path profile, String pageUrl) throws Exception {
        this.process = process;
        this.profile = profile;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(pageUrl), new Listener()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The DevTools websocket of the first page (the one opened on the command line). */
    private static String pageSocket(String httpBase) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(httpBase + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonElement e : JsonParser.parseString(r.body()).getAsJsonArray()) {
                JsonObject target = e.getAsJsonObject();
                if (target.get("type").getAsString().equals("page") && target.has("webSocketDebuggerUrl")) {
                    return target.get("webSocketDebuggerUrl").getAsString();
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("chromium opened no page");
    }

    /** Sends one DevTools command and waits for its result. */
    public JsonObject send(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(id, reply);
        JsonObject msg = new JsonObject();
        msg.addProperty("id", id);
        msg.addProperty("method", method);
        msg.add("params", GSON.toJsonTree(params));
        socket.sendText(msg.toString(), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        JsonObject r = reply.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IllegalStateException(method + " failed: " + r.get("error"));
        }
        return r.getAsJsonObject("result");
    }

    /** Evaluates a JavaScript expression in the page and returns its value as JSON. */
    public JsonElement eval(String expression) throws Exception {
        JsonObject r = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + r.get("exceptionDetails"));
        }
        JsonObject value = r.getAsJsonObject("result");
        return value.has("value") ? value.get("value") : null;
    }

    public String evalString(String expression) throws Exception {
        return eval(expression).getAsString();
    }

    public List<String> evalStrings(String expression) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonElement e : eval(expression).getAsJsonArray()) {
            out.add(e.getAsString());
        }
        return out;
    }

    /** Waits until the page at {@code url} (not the blank one before it) has loaded and run its scripts. */
    private void awaitLoad(String url) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String ready = "location.href === " + GSON.toJson(url) + " && document.readyState === 'complete'";
        while (!eval(ready).getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the page did not finish loading");
            }
            Thread.sleep(50);
        }
    }

    /** Presses and releases a key the way a keyboard would (keyDown, then keyUp). */
    public void press(String key, int keyCode) throws Exception {
        for (String type : List.of("keyDown", "keyUp")) {
            send("Input.dispatchKeyEvent", Map.of("type", type, "key", key, "code", key,
                    "windowsVirtualKeyCode", keyCode, "nativeVirtualKeyCode", keyCode));
        }
    }

    public void click(double x, double y) throws Exception {
        for (String type : List.of("mousePressed", "mouseReleased")) {
            send("Input.dispatchMouseEvent", Map.of("type", type, "x", x, "y", y, "button", "left",
                    "clickCount", 1));
        }
    }

    /** A PNG of the viewport. */
    public byte[] screenshot() throws Exception {
        JsonObject r = send("Page.captureScreenshot", Map.of("format", "png"));
        return Base64.getDecoder().decode(r.get("data").getAsString());
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the browser is ended below either way
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        deleteTree(profile);
    }

    /** Deletes the profile; Chromium's helper processes may still write to it briefly, so try a few times. */
    private static void deleteTree(Path dir) {
        for (int attempt = 0; attempt < 5 && Files.exists(dir); attempt++) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException | java.io.UncheckedIOException e) {
                // a file vanished under the walk: look again
            }
            if (Files.exists(dir)) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Collects text frames into whole messages and hands replies to the waiting senders. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonObject msg = JsonParser.parseString(partial.toString()).getAsJsonObject();
                partial.setLength(0);
                if (msg.has("id")) {
                    CompletableFuture<JsonObject> f = pending.remove(msg.get("id").getAsInt());
                    if (f != null) {
                        f.complete(msg);
                    }
                }
            }
            ws.request(1);
            return null;
        }
    }
}
