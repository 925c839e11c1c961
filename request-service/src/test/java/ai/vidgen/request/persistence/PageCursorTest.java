package ai.vidgen.request.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PageCursorTest {

    @Test
    void roundTripsAndRejectsGarbage() {
        PageCursor cursor = new PageCursor(Instant.parse("2026-03-01T12:00:00.123456Z"), "0b7f-id");
        assertEquals(cursor, PageCursor.decode(cursor.encode()).orElseThrow());
        assertTrue(PageCursor.decode("not a cursor!").isEmpty());
        assertTrue(PageCursor.decode("bm9waXBl").isEmpty());
    }
}
