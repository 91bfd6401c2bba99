package dev.surge.messaging;

/**
 * Maps logical topic and group names ({@code shop.orders.v1}) to the names used on the broker.
 * In production the two are equal; a test class's namespace keeps its topics apart.
 */
final class TopicNamespace {

    private final String prefix;

    public TopicNamespace(String namespace) {
        this.prefix = namespace == null || namespace.isBlank() ? "" : namespace + ".";
    }

    public String topic(String logicalTopic) {
        return prefix + logicalTopic;
    }

    public String group(String logicalGroup) {
        return prefix + logicalGroup;
    }
}
