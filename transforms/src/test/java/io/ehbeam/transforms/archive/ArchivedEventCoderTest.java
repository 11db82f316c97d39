package io.ehbeam.transforms.archive;

import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

/** Every archived event crosses a GroupByKey through this coder. */
class ArchivedEventCoderTest {
  @Test
  void archivedEventsWithEveryFormAndWithout() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(ArchivedEvent.CODER,
        new ArchivedEvent(3, 1L << 40, 1_700_000_000_123L, -86_400_000L, new byte[] {1, 2}, "{}".getBytes(), new byte[] {0, 9}));
    CoderProperties.coderDecodeEncodeEqual(ArchivedEvent.CODER, new ArchivedEvent(0, 0, 0, 0, null, null, null));
    ArchivedEvent.CODER.verifyDeterministic();
  }
}
