package scenario

import "time"

// Builtins returns the built-in stories. Their ids agree across steps: the
// fixtures share one reservation, property, guest and conversation, and
// every step that names an earlier step's entity takes it by reference, so
// the link is explicit and checked. Each call returns fresh values.
func Builtins() []Scenario {
	return []Scenario{
		story("booking-lifecycle",
			"A booking is created, the guest writes, the dates change, then it is cancelled (a cancellation is reservation.changed with status_changed)",
			booked("store the reservation: accepted, 4 nights"),
			guestWrites(2*time.Hour, "attach the guest's message to the booking's conversation"),
			datesChanged("update the same reservation: one more night (5) and the new total; triggers dates_changed, financials_changed"),
			cancelled(),
		),
		story("guest-journey",
			"A booking is created, guest and host write to each other, and the guest reviews the stay after check-out",
			booked("store the reservation"),
			guestWrites(3*time.Hour, "store the guest's message in the booking's conversation"),
			hostReplies(),
			reviewed(),
		),
		story("property-lifecycle",
			"A property is created, changed, merged into another (its id is gone after that), and the surviving property is deleted",
			propertySteps()...,
		),
		story("disconnection",
			"A booking changes, the host disconnects your integration, and the reservation changes stop arriving",
			booked("store the reservation"),
			datesChanged("update the same reservation"),
			Step{Name: "disconnected", Fixture: "integration.disconnected", Wait: 48 * time.Hour,
				Set: []string{
					"data.user=${steps.booked.data.user.id}",
					"data.disconnected_at=${created}",
				},
				Note: "stop syncing this host: no more reservation changes come for it, so do not wait for them"},
		),
	}
}

// story is a built-in scenario.
func story(name, description string, steps ...Step) Scenario {
	return Scenario{Name: name, Description: description, Source: "built-in", Steps: steps}
}

// bookedID is the reservation the "booked" step created.
const bookedID = "data.id=${steps.booked.data.id}"

// booked opens a booking story: the reservation is created.
func booked(note string) Step {
	return Step{Name: "booked", Fixture: "reservation.created", Note: note}
}

// guestWrites is the guest's message in the booked reservation's
// conversation.
func guestWrites(wait time.Duration, note string) Step {
	return Step{Name: "guest-writes", Fixture: "message.created", Wait: wait,
		Set: []string{
			"data.reservation_id=${steps.booked.data.id}",
			"data.conversation_id=${steps.booked.data.conversation_id}",
		},
		Note: note}
}

// datesChanged changes the booked reservation a day later.
func datesChanged(note string) Step {
	return Step{Name: "dates-changed", Fixture: "reservation.changed", Wait: 24 * time.Hour,
		Set: []string{bookedID}, Note: note}
}

// cancelled cancels the booked reservation the way Hospitable sends it.
func cancelled() Step {
	const history = `{"category":"cancelled","sub_category":null,"changed_at":"${created}"}`
	return Step{Name: "cancelled", Fixture: "reservation.changed", Wait: 72 * time.Hour,
		Set: []string{
			bookedID,
			"data.status=cancelled",
			"data.reservation_status.current.category=cancelled",
			"data.reservation_status.history.1=" + history,
			"data.status_history.1=" + history,
		},
		Triggers: []string{"status_changed"},
		Note:     "mark the reservation cancelled: it comes as reservation.changed with status_changed, not an action of its own"}
}

// hostReplies is the host's answer in the guest's conversation.
func hostReplies() Step {
	return Step{Name: "host-replies", Fixture: "message.created", Wait: 20 * time.Minute,
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
		Note: "store the host's reply in the same conversation: sender_type host, a new message id"}
}

// reviewed is the guest's review of the booked stay, after check-out.
func reviewed() Step {
	return Step{Name: "reviewed", Fixture: "review.created", Wait: 60 * 24 * time.Hour,
		Set: []string{
			"data.reservation.id=${steps.booked.data.id}",
			"data.reservation.code=${steps.booked.data.code}",
			"data.property.id=${steps.booked.data.properties.0.id}",
		},
		Note: "attach the review to the stay, after check-out"}
}

// propertySteps are a property's life: created, changed, merged away, the
// survivor changed and deleted.
func propertySteps() []Step {
	const created, survivor = "data.id=${steps.created.data.id}", "data.id=${steps.merged.data.new_id}"
	return []Step{
		{Name: "created", Fixture: "property.created",
			Set:  []string{"data.id=96c9f949-111f-48ef-a90f-c92897901d46"},
			Note: "store the property"},
		{Name: "changed", Fixture: "property.changed", Wait: 6 * time.Hour,
			Set:      []string{created},
			Triggers: []string{"name"},
			Note:     "update the same property"},
		{Name: "merged", Fixture: "property.merged", Wait: 48 * time.Hour,
			Set:  []string{"data.previous_id=${steps.created.data.id}"},
			Note: "move everything from previous_id to new_id: the old id is gone, and no property.deleted comes for it"},
		{Name: "survivor-changed", Fixture: "property.changed", Wait: time.Minute,
			Set:  []string{survivor},
			Note: "the surviving property changed: it now has the merged listing"},
		{Name: "deleted", Fixture: "property.deleted", Wait: 30 * 24 * time.Hour,
			Set:  []string{survivor},
			Note: "remove the surviving property"},
	}
}
