package dev.surge.notify.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.core.io.ClassPathResource;
import org.springframework.web.util.HtmlUtils;

/**
 * The mail templates ({@code classpath:mail/}), read and parsed once at start, rendered in memory:
 * rendering never touches a disk or a blocking library, so it runs inside the consumer's
 * transaction on whatever thread that is. A small subset of Mustache, written here because no
 * template engine is on the class path and the mails need only this:
 *
 * <ul>
 * <li>{@code {{name}}}: a value, HTML-escaped in an {@code .html} template;</li>
 * <li>{@code {{{name}}}}: a value as is (the layout's {@code body}, already rendered);</li>
 * <li>{@code {{#name}}…{{/name}}}: once per item of a list (each item's values over the outer
 *     ones), or once when a text value is not empty;</li>
 * <li>{@code {{^name}}…{{/name}}}: once when the value is absent or empty.</li>
 * </ul>
 *
 * A value a template names but the model lacks is an error, so a typo fails the tests rather than
 * leaving a blank in a shopper's mail. Each kind's {@code .txt} starts with {@code Subject: …} and a
 * blank line; {@code layout.txt} and {@code layout.html} wrap every body with the shop's name and
 * the order link.
 */
public final class MailTemplates {

    private final Map<MailKind, Template> subjects = new EnumMap<>(MailKind.class);
    private final Map<MailKind, Template> texts = new EnumMap<>(MailKind.class);
    private final Map<MailKind, Template> htmls = new EnumMap<>(MailKind.class);
    private final Template textLayout;
    private final Template htmlLayout;

    private MailTemplates(Map<String, String> sources) {
        textLayout = Template.parse("layout.txt", sources.get("layout.txt"), false);
        htmlLayout = Template.parse("layout.html", sources.get("layout.html"), true);
        for (MailKind kind : MailKind.values()) {
            String name = kind.template() + ".txt";
            String text = sources.get(name);
            if (!text.startsWith("Subject: ") || !text.contains("\n\n")) {
                throw new IllegalStateException("mail/" + name + " must start with 'Subject: ...' and a blank line");
            }
            int end = text.indexOf('\n');
            subjects.put(kind, Template.parse(name + " subject", text.substring("Subject: ".length(), end), false));
            texts.put(kind, Template.parse(name, text.substring(text.indexOf("\n\n") + 2), false));
            htmls.put(kind, Template.parse(kind.template() + ".html", sources.get(kind.template() + ".html"), true));
        }
    }

    /** Reads every template from {@code classpath:mail/}; called once while the application starts. */
    public static MailTemplates fromClasspath() {
        Map<String, String> sources = new HashMap<>();
        List<String> names = new ArrayList<>(List.of("layout.txt", "layout.html"));
        for (MailKind kind : MailKind.values()) {
            names.add(kind.template() + ".txt");
            names.add(kind.template() + ".html");
        }
        for (String name : names) {
            try (InputStream in = new ClassPathResource("mail/" + name).getInputStream()) {
                sources.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n"));
            }
            catch (IOException missing) {
                throw new UncheckedIOException("mail template mail/" + name + " cannot be read", missing);
            }
        }
        return new MailTemplates(sources);
    }

    /** A rendered mail's three texts. */
    record Rendered(String subject, String text, String html) {
    }

    /** Renders one kind with the layout around it; {@code model} holds text values and lists of item models. */
    Rendered render(MailKind kind, Map<String, Object> model) {
        String subject = subjects.get(kind).render(model).strip();
        Map<String, Object> textModel = new HashMap<>(model);
        textModel.put("body", texts.get(kind).render(model));
        Map<String, Object> htmlModel = new HashMap<>(model);
        htmlModel.put("body", htmls.get(kind).render(model));
        htmlModel.put("subject", subject);
        return new Rendered(subject, textLayout.render(textModel), htmlLayout.render(htmlModel));
    }

    private sealed interface Node permits Literal, Value, Section {
    }

    private record Literal(String text) implements Node {
    }

    private record Value(String name, boolean escape) implements Node {
    }

    private record Section(String name, boolean inverted, List<Node> children) implements Node {
    }

    private record Template(String source, List<Node> nodes) {

        private static final Pattern STANDALONE_SECTION_TAG = Pattern.compile("(?m)^[ \\t]*(\\{\\{[#^/][^}]*}})[ \\t]*\\n");

        static Template parse(String source, String text, boolean html) {
            if (text == null) {
                throw new IllegalStateException("mail template " + source + " is missing");
            }
            List<List<Node>> open = new ArrayList<>();
            List<String> openNames = new ArrayList<>();
            List<Boolean> openInverted = new ArrayList<>();
            open.add(new ArrayList<>());
            // a section tag alone on its line takes the line with it, as in Mustache, so a list item
            // in a text mail is not framed by blank lines
            text = STANDALONE_SECTION_TAG.matcher(text).replaceAll("$1");
            int at = 0;
            while (at < text.length()) {
                int start = text.indexOf("{{", at);
                if (start < 0) {
                    open.getLast().add(new Literal(text.substring(at)));
                    break;
                }
                if (start > at) {
                    open.getLast().add(new Literal(text.substring(at, start)));
                }
                boolean raw = text.startsWith("{{{", start);
                String closing = raw ? "}}}" : "}}";
                int end = text.indexOf(closing, start);
                if (end < 0) {
                    throw new IllegalStateException("unclosed tag in mail template " + source + " at " + start);
                }
                String tag = text.substring(start + (raw ? 3 : 2), end).strip();
                at = end + closing.length();
                if (raw) {
                    open.getLast().add(new Value(tag, false));
                }
                else if (tag.startsWith("#") || tag.startsWith("^")) {
                    openNames.add(tag.substring(1).strip());
                    openInverted.add(tag.startsWith("^"));
                    open.add(new ArrayList<>());
                }
                else if (tag.startsWith("/")) {
                    String name = tag.substring(1).strip();
                    if (openNames.isEmpty() || !openNames.getLast().equals(name)) {
                        throw new IllegalStateException("mail template " + source + " closes '" + name + "' which is not open");
                    }
                    List<Node> children = open.removeLast();
                    openNames.removeLast();
                    open.getLast().add(new Section(name, openInverted.removeLast(), List.copyOf(children)));
                }
                else {
                    open.getLast().add(new Value(tag, html));
                }
            }
            if (!openNames.isEmpty()) {
                throw new IllegalStateException("mail template " + source + " leaves '" + openNames.getLast() + "' open");
            }
            return new Template(source, List.copyOf(open.getFirst()));
        }

        String render(Map<String, Object> model) {
            StringBuilder out = new StringBuilder();
            render(nodes, model, out);
            return out.toString();
        }

        private void render(List<Node> children, Map<String, Object> model, StringBuilder out) {
            for (Node node : children) {
                switch (node) {
                    case Literal literal -> out.append(literal.text());
                    case Value value -> out.append(value(value, model));
                    case Section section -> section(section, model, out);
                }
            }
        }

        private String value(Value value, Map<String, Object> model) {
            if (!(model.get(value.name()) instanceof String text)) {
                throw new IllegalArgumentException("mail template " + source + " needs the text value '" + value.name() + "'");
            }
            return value.escape() ? HtmlUtils.htmlEscape(text, StandardCharsets.UTF_8.name()) : text;
        }

        private void section(Section section, Map<String, Object> model, StringBuilder out) {
            Object value = model.get(section.name());
            boolean empty = value == null || value instanceof String text && text.isEmpty()
                    || value instanceof List<?> list && list.isEmpty();
            if (section.inverted()) {
                if (empty) {
                    render(section.children(), model, out);
                }
                return;
            }
            if (empty) {
                return;
            }
            if (value instanceof List<?> items) {
                for (Object item : items) {
                    Map<String, Object> inner = new HashMap<>(model);
                    ((Map<?, ?>) item).forEach((key, itemValue) -> inner.put((String) key, itemValue));
                    render(section.children(), inner, out);
                }
            }
            else {
                render(section.children(), model, out);
            }
        }
    }
}
