-- 1,000 cases for the pgbench baseline to spread its transactions over (as the API run spreads over citizens).
INSERT INTO actors (id, slug, name, kind) VALUES (gen_random_uuid(), 'bench-hospital', 'Bench Hospital', 'hospital');
CREATE TABLE bench_cases (n int PRIMARY KEY, case_id uuid NOT NULL, citizen_id uuid NOT NULL, actor_id uuid NOT NULL);
INSERT INTO citizens (id, cpr_index, cpr_sealed, birth_date)
    SELECT gen_random_uuid(), sha256(n::text::bytea), '\x00', date '1950-01-01' FROM generate_series(1, 1000) n;
INSERT INTO cases (id, citizen_id, pathway, responsible_actor_id)
    SELECT gen_random_uuid(), c.id, 'subacute-elderly', (SELECT id FROM actors WHERE slug = 'bench-hospital') FROM citizens c;
INSERT INTO bench_cases SELECT row_number() OVER (ORDER BY c.id), c.id, c.citizen_id, c.responsible_actor_id FROM cases c;
