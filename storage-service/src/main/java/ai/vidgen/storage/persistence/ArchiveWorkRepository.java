package ai.vidgen.storage.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The archive's work queue, {@code archive_work} (see {@code V4__archive_work.sql}), through the
 * SQL client: its transactions also write the videos row and the outbox.
 *
 * <p>Every change a worker makes after its claim is conditional on its lease token, so a worker
 * whose lease was taken over (it stalled, or its replica was presumed dead) changes nothing and
 * publishes nothing: one answer per item, whoever finishes first.
 */
@ApplicationScoped
public class ArchiveWorkRepository {

    private final Pool pool;

    public ArchiveWorkRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Inserts the items in one statement; an item already recorded (a redelivered event) is left as
     * it is.
     *
     * @return the keys ({@code generationId/attempt}) this call created
     */
    public Uni<Set<String>> record(SqlConnection tx, List<NewWork> items) {
        int n = items.size();
        String[] ids = new String[n];
        Integer[] attempts = new Integer[n];
        String[] tenants = new String[n];
        String[] urls = new String[n];
        Long[] sizes = new Long[n];
        String[] shas = new String[n];
        String[] traces = new String[n];
        String[] states = new String[n];
        String[] errors = new String[n];
        for (int i = 0; i < n; i++) {
            NewWork w = items.get(i);
            ids[i] = w.generationId();
            attempts[i] = w.attempt();
            tenants[i] = w.tenantId();
            urls[i] = w.sourceUrl();
            sizes[i] = w.expectedBytes();
            shas[i] = w.expectedSha256();
            traces[i] = w.traceparent();
            states[i] = w.refused() ? "FAILED" : "PENDING";
            errors[i] = w.refused() ? w.refusal() + ": " + w.refusalMessage() : null;
        }
        return tx.preparedQuery("""
                        insert into archive_work (generation_id, attempt, tenant_id, source_url, expected_bytes,
                                                  expected_sha256, traceparent, state, last_error)
                        select * from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::bigint[],
                                             $6::text[], $7::text[], $8::text[], $9::text[])
                        on conflict (generation_id, attempt) do nothing
                        returning generation_id, attempt""")
                .execute(Tuple.from(Arrays.asList(ids, attempts, tenants, urls, sizes, shas, traces, states, errors)))
                .map(rows -> {
                    Set<String> created = new HashSet<>();
                    for (Row r : rows) {
                        created.add(key(r.getString("generation_id"), r.getInteger("attempt")));
                    }
                    return created;
                });
    }

    public static String key(String generationId, int attempt) {
        return generationId + "/" + attempt;
    }

    /**
     * Claims up to {@code limit} due items for {@code lease}: pending, due, and not under a live
     * lease (a lease that ran out belongs to a worker presumed dead, and its item is taken over).
     * A generation's attempts are archived in order: an item waits while an earlier attempt of its
     * generation is pending. Each claimed row gets a token of its own, {@code owner:uuid}.
     */
    public Uni<List<WorkItem>> claimDue(int limit, String owner, Duration lease) {
        return pool.preparedQuery("""
                        update archive_work w
                           set lease_owner = $2 || ':' || gen_random_uuid(),
                               lease_until = now() + make_interval(secs => $3), updated_at = now()
                          from (select generation_id, attempt from archive_work d
                                 where d.state = 'PENDING' and d.next_attempt_at <= now()
                                   and (d.lease_until is null or d.lease_until <= now())
                                   and not exists (select 1 from archive_work e
                                                    where e.generation_id = d.generation_id
                                                      and e.attempt < d.attempt and e.state = 'PENDING')
                                 order by d.next_attempt_at
                                 limit $1
                                   for update skip locked) due
                         where w.generation_id = due.generation_id and w.attempt = due.attempt
                        returning w.generation_id, w.attempt, w.tenant_id, w.source_url, w.expected_bytes,
                                  w.expected_sha256, w.traceparent, w.attempts, w.lease_owner, w.created_at""")
                .execute(Tuple.of(limit, owner, seconds(lease)))
                .map(rows -> {
                    List<WorkItem> claimed = new ArrayList<>();
                    for (Row r : rows) {
                        claimed.add(new WorkItem(r.getString("generation_id"), r.getInteger("attempt"),
                                r.getString("tenant_id"), r.getString("source_url"), r.getLong("expected_bytes"),
                                r.getString("expected_sha256"), r.getString("traceparent"), r.getInteger("attempts"),
                                r.getString("lease_owner"), r.getOffsetDateTime("created_at").toInstant()));
                    }
                    return claimed;
                });
    }

    /** Extends the leases of the items this worker is still archiving. */
    public Uni<Integer> renew(Set<String> leaseOwners, Duration lease) {
        if (leaseOwners.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.preparedQuery("""
                        update archive_work set lease_until = now() + make_interval(secs => $2)
                         where lease_owner = any($1::text[]) and state = 'PENDING'""")
                .execute(Tuple.of(leaseOwners.toArray(String[]::new), seconds(lease)))
                .map(rows -> rows.rowCount());
    }

    /**
     * Schedules the next try and gives the lease up.
     *
     * @param countsAsAttempt whether the failure was the video's (it counts towards the maximum),
     *                        not our infrastructure's
     * @return false when the lease was no longer this worker's
     */
    public Uni<Boolean> retryLater(WorkItem item, boolean countsAsAttempt, Duration delay, String error) {
        return pool.preparedQuery("""
                        update archive_work
                           set attempts = attempts + $4, next_attempt_at = now() + make_interval(secs => $5),
                               last_error = $6, lease_owner = null, lease_until = null, updated_at = now()
                         where generation_id = $1 and attempt = $2 and lease_owner = $3 and state = 'PENDING'""")
                .execute(Tuple.from(Arrays.asList(item.generationId(), item.attempt(), item.leaseOwner(),
                        countsAsAttempt ? 1 : 0, seconds(delay), error)))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Ends the item in the caller's transaction (which also writes the video row and the outbox).
     *
     * @param state DONE or FAILED
     * @return false when the lease was no longer this worker's: the caller must roll back
     */
    public Uni<Boolean> finish(SqlConnection tx, WorkItem item, String state, int attempts, String error) {
        return tx.preparedQuery("""
                        update archive_work
                           set state = $4, attempts = $5, last_error = $6, lease_owner = null, lease_until = null,
                               updated_at = now()
                         where generation_id = $1 and attempt = $2 and lease_owner = $3 and state = 'PENDING'""")
                .execute(Tuple.from(Arrays.asList(item.generationId(), item.attempt(), item.leaseOwner(), state,
                        attempts, error)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** One transaction of the queue's database (which is also the videos' and the outbox's). */
    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
