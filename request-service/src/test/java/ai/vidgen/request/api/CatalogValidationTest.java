package ai.vidgen.request.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.request.domain.InputCatalog;
import ai.vidgen.request.support.BillingStub;
import ai.vidgen.request.support.EventLog;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalog, table-driven over every Kling endpoint: a valid input of each is accepted and
 * reaches Kafka; each limit of each endpoint, broken on its own, is refused with a 422 naming the
 * field, and nothing of it reaches the database, the outbox or Kafka (so neither the dispatcher
 * nor fal ever sees it).
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMG = "https://cdn.example.com/frame.png";
    private static final String IMG2 = "https://v3b.fal.media/files/ref.png";
    private static final String VID = "https://cdn.example.com/motion.mp4";
    private static final String REQUESTED = "ai.vidgen.generation.requested";
    /** The tenants of refused requests: none of them may ever show up on Kafka. */
    private static final Set<String> REFUSED_TENANTS = ConcurrentHashMap.newKeySet();

    private static EventLog kafka;

    @Inject
    Pool pool;

    @BeforeAll
    static void open() {
        kafka = EventLog.open();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    /** A valid input for each endpoint, exercising its specific parameters. */
    static ObjectNode validInput(KlingEndpoint e) {
        ObjectNode in = JSON.createObjectNode();
        switch (e) {
            case V3_STANDARD_T2V, V3_PRO_T2V -> in.put("prompt", "A fox in the snow").put("duration", "8")
                    .put("aspect_ratio", "9:16").put("cfg_scale", 0.7).put("negative_prompt", "blur")
                    .put("generate_audio", true).put("shot_type", "customize");
            case V3_STANDARD_I2V, V3_PRO_I2V -> {
                in.put("prompt", "@Element1 turns to the camera").put("start_image_url", IMG)
                        .put("end_image_url", IMG2).put("duration", "12");
                in.putArray("elements").addObject().put("frontal_image_url", IMG).putArray("reference_image_urls")
                        .add(IMG2);
            }
            case V3_STANDARD_MOTION_CONTROL -> {
                in.put("prompt", "@Element1 dances").put("image_url", IMG).put("video_url", VID)
                        .put("character_orientation", "video").put("keep_original_sound", false);
                in.putArray("elements").addObject().put("frontal_image_url", IMG);
            }
            case O3_STANDARD_T2V, O3_PRO_T2V -> {
                ArrayNode shots = in.putArray("multi_prompt");
                shots.addObject().put("prompt", "Wide shot of a kitchen").put("duration", "6");
                shots.addObject().put("prompt", "Close-up: \"You never listen.\"").put("duration", "4");
                in.put("duration", "10").put("shot_type", "customize").put("generate_audio", true);
                in.putArray("voice_ids").add("voice-1");
            }
            case O3_STANDARD_I2V, O3_PRO_I2V -> in.put("prompt", "Slow orbit").put("image_url", IMG)
                    .put("end_image_url", IMG2).put("duration", "5");
            case O3_STANDARD_R2V, O3_PRO_R2V -> {
                in.put("prompt", "@Element1 plays with the ball from @Image1").put("duration", "8")
                        .put("aspect_ratio", "1:1");
                in.putArray("elements").addObject().put("video_url", VID);
                in.putArray("image_urls").add(IMG2);
            }
            case O3_STANDARD_V2V_EDIT, O3_PRO_V2V_EDIT -> {
                in.put("prompt", "Make the sky look like @Image1").put("video_url", VID).put("keep_audio", true);
                in.putArray("image_urls").add(IMG);
            }
            case O3_STANDARD_V2V_REFERENCE, O3_PRO_V2V_REFERENCE -> in.put("prompt", "Watercolor style")
                    .put("video_url", VID);
            case O3_TEXT_TO_IMAGE -> in.put("prompt", "A samurai on a cliff").put("aspect_ratio", "4:3")
                    .put("num_images", 2);
            case V2_6_PRO_T2V -> in.put("prompt", "A fox").put("duration", "10").put("generate_audio", true)
                    .put("negative_prompt", "blur").put("cfg_scale", 0.3).put("aspect_ratio", "16:9");
            case V2_5_TURBO_PRO_T2V -> in.put("prompt", "A fox").put("duration", "5").put("aspect_ratio", "9:16");
            default -> throw new IllegalArgumentException("no valid input for " + e);
        }
        return in;
    }

    static Stream<Arguments> endpoints() {
        return EnumSet.allOf(KlingEndpoint.class).stream().map(e -> Arguments.of(e.id(), e));
    }

    /** A broken limit: what is changed in the endpoint's valid body, and the pointer that must name it. */
    record Broken(KlingEndpoint endpoint, String limit, Consumer<ObjectNode> change, String pointer) {
    }

    static Stream<Arguments> brokenLimits() {
        List<Broken> cases = new ArrayList<>();
        for (KlingEndpoint e : KlingEndpoint.values()) {
            Map<String, InputCatalog.Param> params = InputCatalog.params(e);
            // Every required parameter, left out.
            params.values().stream().filter(InputCatalog.Param::required).forEach(p ->
                    cases.add(new Broken(e, "without " + p.name(), in -> in.remove(p.name()), "/input/" + p.name())));
            cases.add(new Broken(e, "a misspelt parameter", in -> in.put("negative_promt", "x"), "/input/negative_promt"));
            cases.add(new Broken(e, "blank prompt", in -> {
                in.remove("multi_prompt");
                in.put("prompt", " ");
            }, "/input/prompt"));
            if (params.containsKey("duration")) {
                boolean v2 = e.id().contains("/v2.");
                cases.add(new Broken(e, "duration too long", in -> in.put("duration", v2 ? "15" : "16"), "/input/duration"));
                cases.add(new Broken(e, "duration too short", in -> in.put("duration", v2 ? "3" : "2"), "/input/duration"));
                cases.add(new Broken(e, "duration as a number", in -> in.put("duration", 5), "/input/duration"));
            } else {
                cases.add(new Broken(e, "duration where it does not apply", in -> in.put("duration", "5"),
                        "/input/duration"));
            }
            if (params.containsKey("aspect_ratio")) {
                cases.add(new Broken(e, "unsupported aspect ratio", in -> in.put("aspect_ratio", "5:4"),
                        "/input/aspect_ratio"));
            }
            if (params.containsKey("cfg_scale")) {
                cases.add(new Broken(e, "cfg_scale above 1", in -> in.put("cfg_scale", 1.5), "/input/cfg_scale"));
                cases.add(new Broken(e, "cfg_scale below 0", in -> in.put("cfg_scale", -0.1), "/input/cfg_scale"));
            } else {
                cases.add(new Broken(e, "cfg_scale where it does not apply", in -> in.put("cfg_scale", 0.5),
                        "/input/cfg_scale"));
            }
            if (params.containsKey("generate_audio")) {
                cases.add(new Broken(e, "generate_audio as a string", in -> in.put("generate_audio", "yes"),
                        "/input/generate_audio"));
            } else {
                cases.add(new Broken(e, "generate_audio where it does not apply", in -> in.put("generate_audio", true),
                        "/input/generate_audio"));
            }
            if (params.containsKey("voice_ids")) {
                cases.add(new Broken(e, "blank voice id", in -> in.putArray("voice_ids").add(""), "/input/voice_ids/0"));
            } else {
                cases.add(new Broken(e, "voice_ids off O3 video", in -> in.putArray("voice_ids").add("v1"),
                        "/input/voice_ids"));
            }
            if (params.containsKey("shot_type")) {
                cases.add(new Broken(e, "unknown shot_type", in -> in.put("shot_type", "random"), "/input/shot_type"));
            }
            if (params.containsKey("multi_prompt")) {
                cases.add(new Broken(e, "seven shots", in -> shots(in, 7, "2"), "/input/multi_prompt"));
                cases.add(new Broken(e, "shots adding up to 18 s", in -> shots(in, 3, "6"), "/input/multi_prompt"));
                cases.add(new Broken(e, "shots not adding up to the duration", in -> {
                    shots(in, 2, "4");
                    in.put("duration", "10");
                }, "/input/multi_prompt"));
                cases.add(new Broken(e, "prompt and multi_prompt", in -> {
                    shots(in, 1, "5");
                    in.put("prompt", "both");
                }, "/input/multi_prompt"));
                cases.add(new Broken(e, "shot without a duration", in -> {
                    shots(in, 1, "5");
                    ((ObjectNode) in.get("multi_prompt").get(0)).remove("duration");
                }, "/input/multi_prompt/0/duration"));
            } else {
                cases.add(new Broken(e, "multi_prompt where it does not apply", in -> shots(in, 1, "5"),
                        "/input/multi_prompt"));
            }
            if (params.containsKey("elements")) {
                cases.add(new Broken(e, "element that is neither image set nor video",
                        in -> in.putArray("elements").addObject().put("description", "x"), "/input/elements/0"));
                cases.add(new Broken(e, "@Element beyond the elements", in -> {
                    in.remove("multi_prompt");
                    in.put("prompt", "@Element3 waves");
                }, "/input/prompt"));
                if (e.family() == ai.vidgen.events.catalog.ModelFamily.O3) {
                    cases.add(new Broken(e, "more than 4 references with a video", in -> {
                        ArrayNode elements = in.putArray("elements");
                        elements.addObject().put("video_url", VID);
                        for (int i = 0; i < 4; i++) {
                            elements.addObject().put("frontal_image_url", IMG);
                        }
                    }, "/input/elements"));
                } else {
                    cases.add(new Broken(e, "video element off O3",
                            in -> in.putArray("elements").addObject().put("video_url", VID),
                            "/input/elements/0/video_url"));
                }
            }
            if (params.containsKey("image_urls")) {
                cases.add(new Broken(e, "@Image beyond the reference images", in -> {
                    in.remove("multi_prompt");
                    in.put("prompt", "in the style of @Image5");
                }, "/input/prompt"));
            }
            // Sizes, as fal's schemas bound them.
            cases.add(new Broken(e, "prompt over 2500 characters", in -> {
                in.remove("multi_prompt");
                in.put("prompt", "a".repeat(2501));
            }, "/input/prompt"));
            if (params.containsKey("negative_prompt")) {
                cases.add(new Broken(e, "negative_prompt over 2500 characters",
                        in -> in.put("negative_prompt", "n".repeat(2501)), "/input/negative_prompt"));
            }
            if (params.containsKey("multi_prompt")) {
                cases.add(new Broken(e, "a shot's prompt over 2500 characters", in -> {
                    shots(in, 1, "5");
                    ((ObjectNode) in.get("multi_prompt").get(0)).put("prompt", "s".repeat(2501));
                }, "/input/multi_prompt/0/prompt"));
            }
            if (params.containsKey("voice_ids")) {
                cases.add(new Broken(e, "three voices", in -> in.putArray("voice_ids").add("v1").add("v2").add("v3"),
                        "/input/voice_ids"));
            }
            if (params.containsKey("elements") && e.mode() != ai.vidgen.events.catalog.GenerationMode.MOTION_CONTROL) {
                cases.add(new Broken(e, "an element with four reference images", in -> {
                    in.remove("image_urls");
                    ArrayNode refs = in.putArray("elements").addObject().put("frontal_image_url", IMG)
                            .putArray("reference_image_urls");
                    for (int i = 0; i < 4; i++) {
                        refs.add(IMG2);
                    }
                }, "/input/elements/0/reference_image_urls"));
                int max = InputCatalog.maxReferences(e);
                boolean video = e.mode() == ai.vidgen.events.catalog.GenerationMode.VIDEO_EDIT
                        || e.mode() == ai.vidgen.events.catalog.GenerationMode.VIDEO_REFERENCE;
                cases.add(new Broken(e, "more elements than references allowed", in -> {
                    in.remove("image_urls");
                    ArrayNode elements = in.putArray("elements");
                    for (int i = 0; i < (video ? 5 : max + 1); i++) {
                        elements.addObject().put("frontal_image_url", IMG);
                    }
                }, "/input/elements"));
                if (e.family() == ai.vidgen.events.catalog.ModelFamily.O3) {
                    cases.add(new Broken(e, "two video elements", in -> {
                        in.remove("image_urls");
                        ArrayNode elements = in.putArray("elements");
                        elements.addObject().put("video_url", VID);
                        elements.addObject().put("video_url", VID);
                    }, "/input/elements/1/video_url"));
                }
            }
            if (params.containsKey("image_urls")) {
                boolean video = e.mode() == ai.vidgen.events.catalog.GenerationMode.VIDEO_EDIT
                        || e.mode() == ai.vidgen.events.catalog.GenerationMode.VIDEO_REFERENCE;
                int max = video ? InputCatalog.MAX_REFERENCES_WITH_VIDEO : InputCatalog.maxReferences(e);
                cases.add(new Broken(e, "more reference images than allowed", in -> {
                    in.remove("elements");
                    ArrayNode images = in.putArray("image_urls");
                    for (int i = 0; i <= max; i++) {
                        images.add(IMG2);
                    }
                }, "/input/image_urls"));
            }
            params.values().stream().filter(p -> p.type() == InputCatalog.Type.URL).findFirst().ifPresent(p ->
                    cases.add(new Broken(e, p.name() + " over 8192 characters", in -> in.put(p.name(),
                            "https://cdn.example.com/" + "x".repeat(8200)), "/input/" + p.name())));
            if (params.containsKey("num_images")) {
                cases.add(new Broken(e, "no images", in -> in.put("num_images", 0), "/input/num_images"));
            }
            // The URL policy, on the endpoint's first URL parameter.
            params.values().stream().filter(p -> p.type() == InputCatalog.Type.URL).findFirst().ifPresent(p -> {
                cases.add(new Broken(e, p.name() + " over plain http", in -> in.put(p.name(), "http://cdn.example.com/a"),
                        "/input/" + p.name()));
                cases.add(new Broken(e, p.name() + " on a private host", in -> in.put(p.name(),
                        "https://private.example.com/a.png"), "/input/" + p.name()));
                cases.add(new Broken(e, p.name() + " on the metadata service", in -> in.put(p.name(),
                        "https://169.254.169.254/latest/meta-data"), "/input/" + p.name()));
                cases.add(new Broken(e, p.name() + " not a URL", in -> in.put(p.name(), "file:///etc/passwd"),
                        "/input/" + p.name()));
            });
        }
        KlingEndpoint mc = KlingEndpoint.V3_STANDARD_MOTION_CONTROL;
        cases.add(new Broken(mc, "two elements", in -> in.withArray("elements").addObject()
                .put("frontal_image_url", IMG2), "/input/elements"));
        cases.add(new Broken(mc, "an element with orientation image", in -> in.put("character_orientation", "image"),
                "/input/elements"));
        cases.add(new Broken(mc, "unknown orientation", in -> in.put("character_orientation", "left"),
                "/input/character_orientation"));
        cases.add(new Broken(KlingEndpoint.O3_PRO_R2V, "no reference at all", in -> {
            in.remove("elements");
            in.remove("image_urls");
            in.put("prompt", "a ball");
        }, "/input/elements"));
        cases.add(new Broken(KlingEndpoint.O3_STANDARD_I2V, "end frame on a loopback name",
                in -> in.put("end_image_url", "https://localhost/end.png"), "/input/end_image_url"));
        cases.add(new Broken(KlingEndpoint.O3_STANDARD_R2V, "reference image resolving to a private address among public ones",
                in -> in.withArray("image_urls").add("https://mixed.example.com/b.png"), "/input/image_urls/1"));
        return cases.stream().map(c -> Arguments.of(c.endpoint().id() + ": " + c.limit(), c));
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void aValidInputOfEveryEndpointIsAcceptedAndPublished(String name, KlingEndpoint endpoint) throws Exception {
        String tenant = "cat-ok-" + UUID.randomUUID();
        ObjectNode body = body(endpoint, validInput(endpoint));
        String id = post(tenant, body).statusCode(202).body("endpoint_id", equalTo(endpoint.id()))
                .extract().path("id");
        GenerationRequested requested = assertInstanceOf(GenerationRequested.class,
                kafka.decode(kafka.await(id, REQUESTED)).data());
        assertEquals(body.get("input"), requested.input(), "the input reaches Kafka exactly as sent");
        assertEquals(endpoint.id(), requested.spec().endpointId());
    }

    @Order(2)
    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenLimits")
    void everyBrokenLimitIsRefusedWithItsPointerAndNothingIsStored(String name, Broken broken) {
        String tenant = "cat-bad-" + UUID.randomUUID();
        REFUSED_TENANTS.add(tenant);
        ObjectNode input = validInput(broken.endpoint());
        broken.change().accept(input);
        List<String> pointers = post(tenant, body(broken.endpoint(), input))
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:vidgen:problem:invalid-request"))
                .body("errors.pointer", hasItem(broken.pointer()))
                .body("errors.find { it.pointer == '" + broken.pointer() + "' }.detail", not(emptyOrNullString()))
                .extract().jsonPath().getList("errors.pointer", String.class);
        assertEquals(pointers.size(), Set.copyOf(pointers).size(), "one entry per field: " + pointers);
        // Nothing stored means nothing in the outbox, the only way to Kafka.
        long stored = pool.preparedQuery("SELECT count(*) AS n FROM generations WHERE tenant_id = $1")
                .execute(Tuple.of(tenant)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
        assertEquals(0, stored, "a refused request must not be stored");
        long queued = pool.preparedQuery("SELECT count(*) AS n FROM outbox WHERE cloud_event LIKE $1")
                .execute(Tuple.of("%" + tenant + "%")).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
        assertEquals(0, queued, "a refused request must not reach the outbox");
    }

    @Order(3)
    @Test
    void noRefusedRequestEverReachedKafka() {
        // A request accepted after all the refused ones: once it is on Kafka, the relay has
        // published everything committed before it, so anything refused would be visible by now.
        String tenant = "cat-sentinel-" + UUID.randomUUID();
        String id = post(tenant, body(KlingEndpoint.V3_STANDARD_T2V, validInput(KlingEndpoint.V3_STANDARD_T2V)))
                .statusCode(202).extract().path("id");
        kafka.await(id, REQUESTED);
        assertTrue(REFUSED_TENANTS.size() > 100, "the table covers every endpoint: " + REFUSED_TENANTS.size());
        // Raw text, not decoded: other test classes put undecodable records on the same topic.
        List<String> leaked = kafka.all().stream().map(r -> r.value())
                .filter(v -> REFUSED_TENANTS.stream().anyMatch(v::contains)).toList();
        assertEquals(List.of(), leaked);
    }

    @Test
    void everyProblemIsReportedAtOnceWithAnActionableMessage() {
        ObjectNode input = validInput(KlingEndpoint.V3_PRO_T2V);
        input.remove("prompt");
        shots(input, 3, "6");
        input.put("cfg_scale", 3).put("aspect_ratio", "4:5");
        ObjectNode body = body(KlingEndpoint.V3_PRO_T2V, input);
        body.put("callback_url", "http://localhost:9/hook").put("draft", "yes");
        post("cat-many-" + UUID.randomUUID(), body).statusCode(422)
                .body("errors.pointer", hasItem("/input/multi_prompt"))
                .body("errors.pointer", hasItem("/input/cfg_scale"))
                .body("errors.pointer", hasItem("/input/aspect_ratio"))
                .body("errors.pointer", hasItem("/draft"))
                .body("errors.pointer", hasItem("/callback_url"))
                .body("errors.find { it.pointer == '/input/multi_prompt' }.detail",
                        equalTo("multi_prompt durations add up to 18 s; the video must be 3 to 15 s"))
                .body("errors.find { it.pointer == '/callback_url' }.detail",
                        equalTo("the URL must use https; http is accepted only for the development hosts in "
                                + "request.url-policy.dev-hosts"));
    }

    @Test
    void aNameResolvingToLoopbackIsRefusedUnlessItIsADevHost() {
        // localhost is not among the tests' dev hosts (only 127.0.0.1 is): refused after resolution.
        ObjectNode input = validInput(KlingEndpoint.V3_STANDARD_I2V);
        input.put("start_image_url", "https://localhost/a.png");
        post("cat-lo-" + UUID.randomUUID(), body(KlingEndpoint.V3_STANDARD_I2V, input)).statusCode(422)
                .body("errors.find { it.pointer == '/input/start_image_url' }.detail",
                        equalTo("host localhost resolves to 127.0.0.1, a loopback address; URLs must point to public hosts"));
        // 127.0.0.1 is a dev host: exempt from https and the address rule.
        input.put("start_image_url", "http://127.0.0.1:8083/a.png");
        post("cat-dev-" + UUID.randomUUID(), body(KlingEndpoint.V3_STANDARD_I2V, input)).statusCode(202);
    }

    @Test
    void theCatalogDefaultsFollowTheSeeds() {
        assertEquals(true, InputCatalog.params(KlingEndpoint.V3_STANDARD_T2V).get("generate_audio").defaultValue());
        assertEquals(false, InputCatalog.params(KlingEndpoint.O3_PRO_R2V).get("generate_audio").defaultValue());
        assertEquals("blur, distort, and low quality",
                InputCatalog.params(KlingEndpoint.V3_PRO_I2V).get("negative_prompt").defaultValue());
        assertEquals(0.5, InputCatalog.params(KlingEndpoint.V3_PRO_T2V).get("cfg_scale").defaultValue());
        assertEquals("5", InputCatalog.params(KlingEndpoint.O3_STANDARD_T2V).get("duration").defaultValue());
        for (KlingEndpoint e : KlingEndpoint.values()) {
            InputCatalog.Param audio = InputCatalog.params(e).get("generate_audio");
            if (audio != null) {
                assertEquals(e.audioByDefault(), audio.defaultValue(), e.id());
            }
        }
        given().get("/v1/catalog").then().statusCode(200)
                .body("endpoints.find { it.endpoint_id == 'fal-ai/kling-video/v3/standard/motion-control' }"
                        + ".parameters.find { it.name == 'character_orientation' }.required", equalTo(true));
    }

    private static void shots(ObjectNode in, int count, String duration) {
        in.remove("prompt");
        ArrayNode shots = in.putArray("multi_prompt");
        for (int i = 0; i < count; i++) {
            shots.addObject().put("prompt", "shot " + i).put("duration", duration);
        }
    }

    private static ObjectNode body(KlingEndpoint endpoint, JsonNode input) {
        ObjectNode body = JSON.createObjectNode();
        body.put("endpoint_id", endpoint.id());
        body.set("input", input);
        return body;
    }

    private static io.restassured.response.ValidatableResponse post(String tenant, ObjectNode body) {
        return given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON).body(body.toString())
                .post("/v1/generations").then();
    }
}
