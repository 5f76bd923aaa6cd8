// Package actor names who is acting, so services can authorise object by object and
// audit rows can say who did what, without depending on the web layer.
package actor

import "slices"

// Roles a person may hold; one person may hold several.
const (
	Employee    = "employee"
	Manager     = "manager"
	HR          = "hr"
	Fleet       = "fleet"
	Facilities  = "facilities"
	IT          = "it"
	Storekeeper = "storekeeper"
	Frontdesk   = "frontdesk"
	Admin       = "admin"
)

// Roles lists every role in the order forms show them.
var Roles = []string{Employee, Manager, HR, Fleet, Facilities, IT, Storekeeper, Frontdesk, Admin}

// Channels say how a change reached Kapu.
const (
	ChannelApp    = "app"
	ChannelEmail  = "email"
	ChannelSystem = "system"
	ChannelCLI    = "cli"
)

// Actor is the person (or job) behind a change.
type Actor struct {
	ID      uint // 0 for the system
	Name    string
	Roles   []string
	IP      string
	Channel string
}

// System is the actor of scheduled jobs and migrations.
func System() Actor { return Actor{Name: "Kapu", Channel: ChannelSystem} }

// Has reports whether the actor holds any of the roles.
func (a Actor) Has(roles ...string) bool {
	for _, r := range roles {
		if slices.Contains(a.Roles, r) {
			return true
		}
	}
	return false
}

// IsRole reports whether r is a known role.
func IsRole(r string) bool { return slices.Contains(Roles, r) }
