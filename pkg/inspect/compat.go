package inspect

// Delivery is the old name of Received, kept only while branches written
// before the rename (listener display queue) land; remove it after.
//
// Deprecated: use Received; event.Delivery is the outgoing delivery.
type Delivery = Received
