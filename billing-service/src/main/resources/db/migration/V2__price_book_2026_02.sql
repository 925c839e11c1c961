-- fal.ai's Kling prices as of 2026-02 (seed 000), in micro-dollars per generated second.
INSERT INTO price_books (version, effective_from, source)
VALUES ('2026-02', '2026-02-01T00:00:00Z', 'fal.ai Kling 3.0 / O3 pricing, 2026-02');

INSERT INTO price_rates (version, model_family, tier, audio_mode, micros_per_second) VALUES
    ('2026-02', 'V3', 'STANDARD', 'OFF', 168000),
    ('2026-02', 'V3', 'STANDARD', 'ON', 224000),
    ('2026-02', 'V3', 'STANDARD', 'VOICE_CONTROL', 268000),
    ('2026-02', 'V3', 'PRO', 'OFF', 252000),
    ('2026-02', 'V3', 'PRO', 'ON', 336000),
    ('2026-02', 'V3', 'PRO', 'VOICE_CONTROL', 392000),
    ('2026-02', 'O3', 'STANDARD', 'OFF', 168000),
    ('2026-02', 'O3', 'STANDARD', 'ON', 224000),
    ('2026-02', 'O3', 'STANDARD', 'VOICE_CONTROL', 268000),
    ('2026-02', 'O3', 'PRO', 'OFF', 252000),
    ('2026-02', 'O3', 'PRO', 'ON', 336000),
    ('2026-02', 'O3', 'PRO', 'VOICE_CONTROL', 392000),
    ('2026-02', 'V2_6', 'PRO', 'OFF', 70000),
    ('2026-02', 'V2_6', 'PRO', 'ON', 140000),
    -- Kling v2.5 Turbo Pro has no audio price ("—" in the seed): audio on it is refused.
    ('2026-02', 'V2_5_TURBO', 'PRO', 'OFF', 70000);
