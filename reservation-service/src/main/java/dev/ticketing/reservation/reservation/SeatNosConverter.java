package dev.ticketing.reservation.reservation;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** At most four seat numbers, stored as "3,10,11": read together, never queried one by one. */
@Converter
class SeatNosConverter implements AttributeConverter<List<Integer>, String> {

    @Override
    public String convertToDatabaseColumn(List<Integer> seatNos) {
        return seatNos.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    @Override
    public List<Integer> convertToEntityAttribute(String column) {
        return Arrays.stream(column.split(",")).map(Integer::valueOf).toList();
    }
}
