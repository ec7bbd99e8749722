package dev.retention.campaigns.domain;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CampaignStateTest {

    @Test
    void onlyNewAndChangedRowsAreWrittenBack() {
        CustomerState quiet = new CustomerState("c-1");
        CustomerState busy = new CustomerState("c-2");
        OrderState known = new OrderState("o-1", "c-1");
        CampaignState state = new CampaignState(new HashMap<>(Map.of("c-1", quiet, "c-2", busy)),
                Map.of("o-1", known), Map.of());

        busy.changeTier("gold");
        state.order("o-1", "c-1"); // read, not changed
        state.order("o-2", "c-2"); // new
        state.timer("s-1", "o-2", "c-2"); // new

        assertThat(state.changedCustomers()).containsExactly(busy);
        assertThat(state.changedOrders()).extracting(OrderState::orderId).containsExactly("o-2");
        assertThat(state.changedTimers()).extracting(ShipmentTimer::shipmentId).containsExactly("s-1");
        known.markReviewed();
        assertThat(state.changedOrders()).extracting(OrderState::orderId).containsExactly("o-1", "o-2");
    }
}
