package scenario

import "time"

// Builtins returns the built-in stories. Their ids agree across steps: the
// fixtures share one reservation, property, guest and conversation, and
// every step that names an earlier step's entity takes it by reference, so
// the link is explicit and checked. Each call returns fresh values.
func Builtins() []Scenario {
	const cancelledHistory = `{"category":"cancelled","sub_category":null,"changed_at":"${created}"}`
	return []Scenario{
		{
			Name:        "booking-lifecycle",
			Description: "A booking is created, the guest writes, the dates change, then it is cancelled (a cancellation is reservation.changed with status_changed)",
			Source:      "built-in",
			Steps: []Step{
				{Name: "booked", Fixture: "reservation.created",
					Note: "store the reservation: accepted, 4 nights"},
				{Name: "guest-writes", Fixture: "message.created", Wait: 2 * time.Hour,
					Set: []string{
						"data.reservation_id=${steps.booked.data.id}",
						"data.conversation_id=${steps.booked.data.conversation_id}",
					},
					Note: "attach the guest's message to the booking's conversation"},
				{Name: "dates-changed", Fixture: "reservation.changed", Wait: 24 * time.Hour,
					Set:  []string{"data.id=${steps.booked.data.id}"},
					Note: "update the same reservation: one more night (5) and the new total; triggers dates_changed, financials_changed"},
				{Name: "cancelled", Fixture: "reservation.changed", Wait: 72 * time.Hour,
					Set: []string{
						"data.id=${steps.booked.data.id}",
						"data.status=cancelled",
						"data.reservation_status.current.category=cancelled",
						"data.reservation_status.history.1=" + cancelledHistory,
						"data.status_history.1=" + cancelledHistory,
					},
					Triggers: []string{"status_changed"},
					Note:     "mark the reservation cancelled: it comes as reservation.changed with status_changed, not an action of its own"},
			},
		},
		{
			Name:        "guest-journey",
			Description: "A booking is created, guest and host write to each other, and the guest reviews the stay after check-out",
			Source:      "built-in",
			Steps: []Step{
				{Name: "booked", Fixture: "reservation.created",
					Note: "store the reservation"},
				{Name: "guest-writes", Fixture: "message.created", Wait: 3 * time.Hour,
					Set: []string{
						"data.reservation_id=${steps.booked.data.id}",
						"data.conversation_id=${steps.booked.data.conversation_id}",
					},
					Note: "store the guest's message in the booking's conversation"},
				{Name: "host-replies", Fixture: "message.created", Wait: 20 * time.Minute,
					Set: []string{
						"data.id=1318840912",
						"data.platform_id=\"31874490871\"",
						"data.reservation_id=${steps.booked.data.id}",
						"data.conversation_id=${steps.guest-writes.data.conversation_id}",
						"data.body=Welcome, José! Early check-in from 13:00 is fine: the lockbox code follows on the day.",
						"data.sender_type=host",
						"data.sender_role=host",
						`data.sender={"first_name":"Marta","full_name":"Marta Okafor","locale":"en","picture_url":null,"thumbnail_url":null,"location":"Sedona, AZ"}`,
						"data.source=hospitable",
						"data.created_at=${created}",
					},
					Note: "store the host's reply in the same conversation: sender_type host, a new message id"},
				{Name: "reviewed", Fixture: "review.created", Wait: 60 * 24 * time.Hour,
					Set: []string{
						"data.reservation.id=${steps.booked.data.id}",
						"data.reservation.code=${steps.booked.data.code}",
						"data.property.id=${steps.booked.data.properties.0.id}",
					},
					Note: "attach the review to the stay, after check-out"},
			},
		},
		{
			Name:        "property-lifecycle",
			Description: "A property is created, changed, merged into another (its id is gone after that), and the surviving property is deleted",
			Source:      "built-in",
			Steps: []Step{
				{Name: "created", Fixture: "property.created",
					Set:  []string{"data.id=96c9f949-111f-48ef-a90f-c92897901d46"},
					Note: "store the property"},
				{Name: "changed", Fixture: "property.changed", Wait: 6 * time.Hour,
					Set:      []string{"data.id=${steps.created.data.id}"},
					Triggers: []string{"name"},
					Note:     "update the same property"},
				{Name: "merged", Fixture: "property.merged", Wait: 48 * time.Hour,
					Set:  []string{"data.previous_id=${steps.created.data.id}"},
					Note: "move everything from previous_id to new_id: the old id is gone, and no property.deleted comes for it"},
				{Name: "survivor-changed", Fixture: "property.changed", Wait: time.Minute,
					Set:  []string{"data.id=${steps.merged.data.new_id}"},
					Note: "the surviving property changed: it now has the merged listing"},
				{Name: "deleted", Fixture: "property.deleted", Wait: 30 * 24 * time.Hour,
					Set:  []string{"data.id=${steps.merged.data.new_id}"},
					Note: "remove the surviving property"},
			},
		},
		{
			Name:        "disconnection",
			Description: "A booking changes, the host disconnects your integration, and the reservation changes stop arriving",
			Source:      "built-in",
			Steps: []Step{
				{Name: "booked", Fixture: "reservation.created",
					Note: "store the reservation"},
				{Name: "dates-changed", Fixture: "reservation.changed", Wait: 24 * time.Hour,
					Set:  []string{"data.id=${steps.booked.data.id}"},
					Note: "update the same reservation"},
				{Name: "disconnected", Fixture: "integration.disconnected", Wait: 48 * time.Hour,
					Set: []string{
						"data.user=${steps.booked.data.user.id}",
						"data.disconnected_at=${created}",
					},
					Note: "stop syncing this host: no more reservation changes come for it, so do not wait for them"},
			},
		},
	}
}
