-- The tables every client check reads, besides the demo database.
CREATE DATABASE conformance;
CREATE TABLE conformance.items (
  id integer, name varchar(40), price decimal(10,2), qty bigint, weight double,
  active boolean, added date, updated timestamp, note string
);
INSERT INTO conformance.items VALUES
  (1, 'anvil', 19.99, 3, 12.5, true, DATE '2024-01-15', TIMESTAMP '2024-01-15 10:30:00', 'heavy'),
  (2, 'bucket', 4.50, 10, 0.75, true, DATE '2024-02-01', TIMESTAMP '2024-02-01 08:00:00', NULL),
  (3, 'chisel', 7.25, 0, 0.3, false, DATE '2024-03-10', TIMESTAMP '2024-03-10 17:45:30.5', 'it''s sharp'),
  (4, 'drill', 89.00, 2, 1.8, true, DATE '2024-04-22', TIMESTAMP '2024-04-22 12:00:00', 'cordless'),
  (5, 'easel', 35.10, 1, 4.2, false, NULL, NULL, 'wooden'),
  (6, 'file', 3.99, 25, 0.1, true, DATE '2024-06-30', TIMESTAMP '2024-06-30 23:59:59', 'metal'),
  (7, 'gauge', 12.00, 4, 0.2, true, DATE '2024-07-04', TIMESTAMP '2024-07-04 09:15:00', NULL),
  (8, 'hammer', 15.49, 7, 0.9, true, DATE '2024-08-08', TIMESTAMP '2024-08-08 14:20:10', 'claw'),
  (9, 'inkpad', 2.25, 30, 0.05, false, DATE '2024-09-09', TIMESTAMP '2024-09-09 07:07:07', 'blue'),
  (10, 'jigsaw', 59.95, 3, 2.4, true, DATE '2024-10-31', TIMESTAMP '2024-10-31 18:30:00', 'électrique');
CREATE TABLE conformance.events (id bigint, item_id integer, at timestamp, kind varchar(20), amount decimal(12,2));
INSERT INTO conformance.events VALUES
  (1, 1, TIMESTAMP '2024-05-01 10:00:00', 'sale', 19.99),
  (2, 2, TIMESTAMP '2024-05-01 11:00:00', 'sale', 9.00),
  (3, 1, TIMESTAMP '2024-05-02 09:30:00', 'return', -19.99),
  (4, 4, TIMESTAMP '2024-05-03 15:00:00', 'sale', 89.00);
CREATE VIEW conformance.active_items AS SELECT id, name, price FROM conformance.items WHERE active;
