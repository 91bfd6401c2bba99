package dev.surge.notify.ops;

import org.springframework.stereotype.Component;

import dev.surge.messaging.VitalSignsSource;

/** notify's part of its vital signs: the Server-Sent Event streams open on this instance. */
@Component
class StreamVitalSigns implements VitalSignsSource {

    private final OpsStreams streams;

    StreamVitalSigns(OpsStreams streams) {
        this.streams = streams;
    }

    @Override
    public Integer streams() {
        return streams.streams();
    }
}
