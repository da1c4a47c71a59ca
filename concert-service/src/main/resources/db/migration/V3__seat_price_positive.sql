-- A seat is sold for a price: a hold's ReservationCreated carries the positive amount the buyer pays, and
-- payment takes it from a balance. A seat priced 0 could be held but never paid for (reservation-service
-- refuses such seats as unavailable), so the catalogue no longer stores one. A free seat is given away outside
-- the sale. If a row priced 0 exists this migration stops with a CHECK error: price the seat, then deploy again.
ALTER TABLE seat DROP CONSTRAINT ck_seat_price;
ALTER TABLE seat ADD CONSTRAINT ck_seat_price CHECK (price > 0);
