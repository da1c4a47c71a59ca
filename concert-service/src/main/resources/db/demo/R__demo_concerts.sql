-- Demo catalogue, loaded only where the demo profile adds classpath:db/demo to Flyway's locations.
-- Repeatable, so it never takes a version number that a later migration needs. Meant for an
-- empty database: ids are fixed (concerts 1-3, schedules 1-11) and every insert skips rows that
-- are there already, so a re-run (Flyway re-applies it when its checksum changes) adds nothing twice.
-- Dates are relative to the day it runs; plain INSERT ... SELECT with anti-joins and a cross join
-- of digits keeps it valid on MySQL 8.4 and MariaDB 10.11+ alike.

INSERT INTO concert (concert_id, title, venue)
SELECT d.concert_id, d.title, d.venue
FROM (SELECT 1 AS concert_id, 'Aurora Strings: Winter Concerto' AS title, 'Seoul Arts Center Concert Hall' AS venue
      UNION ALL SELECT 2, 'Neon Harbor Live', 'KSPO Dome, Seoul'
      UNION ALL SELECT 3, 'Jeju Jazz Nights', 'Jeju Arts Center') d
LEFT JOIN concert existing ON existing.concert_id = d.concert_id
WHERE existing.concert_id IS NULL
ORDER BY d.concert_id;

-- Days from today and the UTC hour (10:00 UTC is 19:00 in Seoul).
INSERT INTO schedule (schedule_id, concert_id, starts_at, time_zone, seat_count)
SELECT d.schedule_id, d.concert_id,
       DATE_ADD(CAST(UTC_DATE() AS DATETIME), INTERVAL (d.days_ahead * 24 + d.utc_hour) HOUR),
       d.time_zone, d.seat_count
FROM (SELECT 1 AS schedule_id, 1 AS concert_id, 7 AS days_ahead, 10 AS utc_hour, 'Asia/Seoul' AS time_zone, 50 AS seat_count
      UNION ALL SELECT 2, 1, 8, 10, 'Asia/Seoul', 50
      UNION ALL SELECT 3, 1, 14, 5, 'Asia/Seoul', 40
      UNION ALL SELECT 4, 1, 21, 10, 'Asia/Seoul', 50
      UNION ALL SELECT 5, 2, 10, 9, 'Asia/Seoul', 50
      UNION ALL SELECT 6, 2, 11, 9, 'Asia/Seoul', 50
      UNION ALL SELECT 7, 2, 12, 9, 'Asia/Seoul', 30
      UNION ALL SELECT 8, 3, 3, 11, 'Asia/Seoul', 30
      UNION ALL SELECT 9, 3, 17, 11, 'Asia/Seoul', 40
      UNION ALL SELECT 10, 3, 31, 11, 'Asia/Seoul', 50
      UNION ALL SELECT 11, 3, 45, 11, 'Asia/Seoul', 50) d
JOIN concert c ON c.concert_id = d.concert_id
LEFT JOIN schedule existing ON existing.schedule_id = d.schedule_id
WHERE existing.schedule_id IS NULL
ORDER BY d.schedule_id;

-- Seats 1..seat_count of each demo date: the front fifth VIP, the next two fifths R, the rest S.
INSERT INTO seat (schedule_id, seat_no, grade, price, status)
SELECT sc.schedule_id, n.seat_no,
       CASE WHEN n.seat_no * 5 <= sc.seat_count THEN 'VIP'
            WHEN n.seat_no * 5 <= sc.seat_count * 3 THEN 'R'
            ELSE 'S' END,
       CASE WHEN n.seat_no * 5 <= sc.seat_count THEN 150000
            WHEN n.seat_no * 5 <= sc.seat_count * 3 THEN 110000
            ELSE 80000 END,
       'AVAILABLE'
FROM schedule sc
JOIN (SELECT tens.d * 10 + ones.d + 1 AS seat_no
      FROM (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) tens
      CROSS JOIN (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
                  UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) ones
     ) n ON n.seat_no <= sc.seat_count
LEFT JOIN seat existing ON existing.schedule_id = sc.schedule_id AND existing.seat_no = n.seat_no
WHERE sc.schedule_id BETWEEN 1 AND 11
  AND existing.schedule_id IS NULL
ORDER BY sc.schedule_id, n.seat_no;
