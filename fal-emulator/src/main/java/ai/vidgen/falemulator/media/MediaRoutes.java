package ai.vidgen.falemulator.media;

import ai.vidgen.falemulator.config.EmulatorConfig;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Serves rendered clips at {@code GET /media/{file}}, publicly like fal's CDN. Vert.x's static
 * handler does the file IO asynchronously and answers Range requests, HEAD and conditional
 * requests. Half-written files carry a hidden name and are never served: the guard below refuses
 * them by the requested name, because the static handler's own hidden-file switch also looks at the
 * media directory's path and would refuse everything under a directory such as {@code .run/}.
 */
@ApplicationScoped
public class MediaRoutes {

    private static final String NOT_FOUND = "{\"detail\":\"Not Found\"}";

    void register(@Observes Router router, MediaLibrary media, EmulatorConfig config) {
        StaticHandler files = StaticHandler.create(FileSystemAccess.ROOT, media.dir().toString())
                .setDirectoryListing(false)
                .setIncludeHidden(true)
                .setEnableRangeSupport(true)
                // A clip's name fixes its content, so a file, once there, never changes.
                .setFilesReadOnly(true)
                .setCachingEnabled(true);
        // truncated_media fault: half the clip, as a broken CDN transfer would leave it.
        router.getWithRegex("/media/truncated/([^/]+)")
                .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT - 1)
                .handler(context -> {
                    String name = context.pathParam("param0");
                    if (name == null || name.startsWith(".")) {
                        notFound(context);
                        return;
                    }
                    context.vertx().fileSystem().readFile(media.dir().resolve(name).toString(), read -> {
                        if (read.failed()) {
                            notFound(context);
                            return;
                        }
                        context.response().putHeader(HttpHeaders.CONTENT_TYPE, "video/mp4")
                                .end(read.result().slice(0, read.result().length() / 2));
                    });
                });
        // media_slow fault: the whole file, trickled out, as from a congested CDN edge.
        SlowMediaHandler slow = new SlowMediaHandler(media.dir(), config.mediaSlowDuration());
        router.getWithRegex("/media/slow/([^/]+)")
                .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT - 1)
                .handler(context -> {
                    String name = context.pathParam("param0");
                    if (name == null || name.startsWith(".")) {
                        notFound(context);
                    } else {
                        slow.serve(context, name, () -> notFound(context));
                    }
                });
        // Before the REST layer, whose catch-all queue routes would otherwise claim /media/*.
        router.route("/media/*")
                .method(HttpMethod.GET)
                .method(HttpMethod.HEAD)
                .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                .handler(MediaRoutes::refuseHiddenNames)
                .handler(files)
                // The static handler passes unknown files on; answer here instead of the REST layer.
                .handler(MediaRoutes::notFound);
    }

    private static void refuseHiddenNames(RoutingContext context) {
        String path = context.normalizedPath();
        if (path.contains("/.")) {
            notFound(context);
        } else {
            context.next();
        }
    }

    private static void notFound(RoutingContext context) {
        context.response()
                .setStatusCode(404)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(NOT_FOUND);
    }
}
