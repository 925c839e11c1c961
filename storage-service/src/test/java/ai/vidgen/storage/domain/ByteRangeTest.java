package ai.vidgen.storage.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    private static ByteRange partial(String header, long size) {
        return assertInstanceOf(ByteRange.Partial.class, ByteRange.parse(header, size)).range();
    }

    @Test
    void readsTheThreeFormsOfASingleRange() {
        assertEquals(new ByteRange(0, 99, 1000), partial("bytes=0-99", 1000));
        assertEquals(new ByteRange(500, 999, 1000), partial("bytes=500-", 1000));
        assertEquals(new ByteRange(900, 999, 1000), partial("bytes=-100", 1000));
        assertEquals(new ByteRange(0, 999, 1000), partial("bytes=-5000", 1000));
        assertEquals(new ByteRange(990, 999, 1000), partial("bytes=990-5000", 1000));
        assertEquals("bytes 0-99/1000", partial("bytes=0-99", 1000).contentRange());
        assertEquals(100, partial("bytes=0-99", 1000).length());
    }

    @Test
    void unsatisfiableWhenNoByteOfTheRangeExists() {
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=1000-", 1000));
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=2000-3000", 1000));
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=-0", 1000));
    }

    @Test
    void ignoresWhatItDoesNotServe() {
        for (String header : new String[] {null, "", "items=0-1", "bytes=", "bytes=-", "bytes=a-b", "bytes=5-1",
                "bytes=0-1,5-6", "bytes=99999999999999999999-"}) {
            assertInstanceOf(ByteRange.Full.class, ByteRange.parse(header, 1000), String.valueOf(header));
        }
    }
}
