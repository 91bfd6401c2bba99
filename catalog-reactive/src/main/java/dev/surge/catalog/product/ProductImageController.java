package dev.surge.catalog.product;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.surge.service.web.NotFound;
import reactor.core.publisher.Mono;

/**
 * Product images, drawn here as SVG so the shop needs no external image host: a tile coloured by
 * the SKU with the product's name and the view.
 */
@RestController
class ProductImageController {

    private static final Pattern FILE = Pattern.compile("(?<sku>[A-Za-z0-9-]+)-(?<view>[1-9])\\.svg");
    private static final String[] VIEWS = { "front", "side", "detail" };
    private static final MediaType SVG = MediaType.parseMediaType("image/svg+xml");

    /**
     * An SVG is a document that can carry script and links. Ours carry neither, but served from the
     * shop's own origin they must never run as one if a tile is ever opened directly or a crafted
     * name slips through: no sniffing into another type, nothing loaded, scripts sandboxed away.
     */
    static final String SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

    private final ProductCatalog catalog;

    ProductImageController(ProductCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/images/products/{file}")
    Mono<ResponseEntity<String>> image(@PathVariable String file) {
        Matcher match = FILE.matcher(file);
        if (!match.matches()) {
            return Mono.error(new NotFound("image", file));
        }
        String sku = match.group("sku");
        int view = Integer.parseInt(match.group("view"));
        return catalog.name(sku)
                .map(name -> ResponseEntity.ok()
                        .contentType(SVG)
                        .cacheControl(CacheControl.maxAge(Duration.ofDays(1)).cachePublic())
                        .header("X-Content-Type-Options", "nosniff")
                        .header("Content-Security-Policy", SVG_POLICY)
                        .body(svg(sku, name, VIEWS[(view - 1) % VIEWS.length])));
    }

    static String svg(String sku, String name, String view) {
        int hue = Math.floorMod(sku.hashCode(), 360);
        String title = escape(name.length() > 42 ? name.substring(0, 41) + "…" : name);
        return """
                <svg xmlns="http://www.w3.org/2000/svg" width="480" height="480" viewBox="0 0 480 480" role="img">
                  <title>%s</title>
                  <rect width="480" height="480" fill="hsl(%d,45%%,88%%)"/>
                  <circle cx="240" cy="200" r="110" fill="hsl(%d,55%%,60%%)"/>
                  <text x="240" y="380" font-family="sans-serif" font-size="20" text-anchor="middle" fill="#222">%s</text>
                  <text x="240" y="420" font-family="sans-serif" font-size="16" text-anchor="middle" fill="#555">%s · %s</text>
                </svg>
                """.formatted(title, hue, hue, title, escape(sku), view);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
