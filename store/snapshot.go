package store

import "github.com/partnertiers/partnertiers/model"

// Snapshot is everything the app shows, read in one transaction so the
// screens never mix two states of the store.
type Snapshot struct {
	Partners   []model.Partner            // every partner, sorted by name
	Production map[string]model.Series    // by partner id
	History    map[string][]model.History // by partner id, oldest first
	Periods    []model.Period             // periods that have production, oldest first
}
