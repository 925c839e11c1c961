package ai.vidgen.billing.api;

import ai.vidgen.billing.persistence.UsageRepository.Dimension;
import ai.vidgen.billing.persistence.UsageRepository.UsageRow;
import ai.vidgen.billing.service.UsageReports;
import ai.vidgen.platform.auth.ServiceOnly;
import ai.vidgen.platform.money.Money;
import ai.vidgen.platform.problem.Problem.ProblemError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What was charged, from the ledger (settlements plus corrections, by the time they were
 * written), grouped by any of tenant, model family, tier, audio, voice control, endpoint and day
 * (UTC). JSON by default; CSV with {@code Accept: text/csv} or {@code ?format=csv}. For operators
 * (admin token) and the platform's services (service token): the request-service shows each tenant
 * its own usage, always naming the tenant it resolved from the tenant's API key.
 */
@Path("/v1/usage")
@ServiceOnly
public class UsageResource {

    public static final String CSV = "text/csv";

    /** One group: its dimension values (by API name) and its sums, in micro-dollars and as text. */
    public record Group(Map<String, Object> group, long chargedMicros, String charged, long billedSeconds,
            long generations, long correctionsMicros) {
    }

    public record Usage(String tenantId, Instant from, Instant to, List<String> groupBy, List<Group> groups,
            long totalChargedMicros, String totalCharged, long totalBilledSeconds) {
    }

    private final UsageReports reports;

    public UsageResource(UsageReports reports) {
        this.reports = reports;
    }

    /**
     * @param from     inclusive: an ISO instant or a UTC date ({@code 2026-11-01})
     * @param to       exclusive, same forms
     * @param groupBy  comma-separated: tenant, model_family, tier, audio, voice_control, endpoint, day
     */
    @GET
    public Uni<Response> usage(@QueryParam("tenantId") String tenantId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("groupBy") String groupBy, @QueryParam("format") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        List<ProblemError> errors = new ArrayList<>();
        Instant fromAt = instant(from, "from", errors);
        Instant toAt = instant(to, "to", errors);
        List<Dimension> dimensions = dimensions(groupBy, errors);
        boolean csv = "csv".equalsIgnoreCase(format) || (format == null && accept != null && accept.contains(CSV)
                && !accept.contains(MediaType.APPLICATION_JSON));
        if (format != null && !format.equalsIgnoreCase("csv") && !format.equalsIgnoreCase("json")) {
            errors.add(ProblemError.at("/format", "json or csv"));
        }
        if (fromAt != null && toAt != null && !toAt.isAfter(fromAt)) {
            errors.add(ProblemError.at("/to", "must be after from"));
        }
        BillingProblems.refuseIfAny(errors);
        String tenant = tenantId == null || tenantId.isBlank() ? null : tenantId;
        return reports.usage(tenant, fromAt, toAt, dimensions).map(rows -> csv
                ? Response.ok(csv(dimensions, rows), CSV).build()
                : Response.ok(json(tenant, fromAt, toAt, dimensions, rows), MediaType.APPLICATION_JSON).build());
    }

    private static Usage json(String tenant, Instant from, Instant to, List<Dimension> dimensions, List<UsageRow> rows) {
        List<Group> groups = rows.stream().map(r -> {
            Map<String, Object> group = new LinkedHashMap<>();
            r.groups().forEach((d, v) -> group.put(d.name(), v));
            return new Group(group, r.chargedMicros(), Money.format(r.chargedMicros()), r.billedSeconds(),
                    r.generations(), r.correctionsMicros());
        }).toList();
        long total = rows.stream().mapToLong(UsageRow::chargedMicros).reduce(0, Math::addExact);
        long seconds = rows.stream().mapToLong(UsageRow::billedSeconds).sum();
        return new Usage(tenant, from, to, dimensions.stream().map(Enum::name).toList(), groups, total,
                Money.format(total), seconds);
    }

    private static String csv(List<Dimension> dimensions, List<UsageRow> rows) {
        StringBuilder out = new StringBuilder();
        for (Dimension d : dimensions) {
            out.append(d.name()).append(',');
        }
        out.append("charged_micros,charged_usd,billed_seconds,generations,corrections_micros\r\n");
        for (UsageRow r : rows) {
            for (Object v : r.groups().values()) {
                out.append(csvField(String.valueOf(v))).append(',');
            }
            out.append(r.chargedMicros()).append(',').append(Money.format(r.chargedMicros())).append(',')
                    .append(r.billedSeconds()).append(',').append(r.generations()).append(',')
                    .append(r.correctionsMicros()).append("\r\n");
        }
        return out.toString();
    }

    /** RFC 4180 quoting; a leading formula character is neutralised for spreadsheets. */
    private static String csvField(String value) {
        String v = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
                ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private static Instant instant(String value, String name, List<ProblemError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(ProblemError.at("/" + name, "an ISO instant (2026-11-01T00:00:00Z) or date (2026-11-01)"));
            return null;
        }
    }

    private static List<Dimension> dimensions(String groupBy, List<ProblemError> errors) {
        List<Dimension> out = new ArrayList<>();
        if (groupBy == null || groupBy.isBlank()) {
            return out;
        }
        for (String name : groupBy.split(",")) {
            String n = name.trim();
            try {
                Dimension d = Dimension.valueOf(n);
                if (!out.contains(d)) {
                    out.add(d);
                }
            } catch (IllegalArgumentException e) {
                errors.add(ProblemError.at("/groupBy", "unknown dimension '" + n + "'; one of "
                        + Arrays.toString(Dimension.values())));
            }
        }
        return out;
    }
}
