package dev.ticketing.reservation;

import org.springframework.boot.SpringApplication;
import dev.ticketing.reservation.reservation.HoldSettings;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

@SpringBootApplication
@EnableConfigurationProperties(HoldSettings.class)
class ReservationApplication {

    public static void main(String[] args) {
        SpringApplication.run(ReservationApplication.class, args);
    }
}
