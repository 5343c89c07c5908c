package store

import (
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
)

// rowPartners resolves the partner cells of an import's rows inside its
// transaction, the same way for every import that names partners: by id,
// name or alias; an ambiguous cell is a bad row; an unknown one is listed,
// and is a bad row unless the import creates partners, at the entry tier,
// joined at the start of the earliest period the file gives them.
type rowPartners struct {
	res     resolver
	file    string
	column  string
	prog    *model.Program
	create  bool
	unknown map[string]bool
	created map[string]*model.Partner
	order   []string // created ids, in the order first seen
	bad     []RowError
}

func newRowPartners(tx *bolt.Tx, file, column string, prog *model.Program, create bool) *rowPartners {
	return &rowPartners{res: resolver{tx: tx, cache: map[string][]string{}}, file: file, column: column,
		prog: prog, create: create, unknown: map[string]bool{}, created: map[string]*model.Partner{}}
}

// id is the partner a row's cell names. since is the start of the period
// the row is about, the joined date of a partner created for it. ok is
// false when the row is bad; the reason is recorded.
func (rp *rowPartners) id(cell string, line int, since time.Time) (string, bool) {
	ids := rp.res.resolve(cell)
	switch {
	case len(ids) == 1:
		return ids[0], true
	case len(ids) > 1:
		return "", rp.badRow(line, fmt.Sprintf("%q is ambiguous: it names %s; use the id", cell, strings.Join(ids, ", ")))
	}
	rp.unknown[cell] = true
	if !rp.create {
		return "", rp.badRow(line, fmt.Sprintf("unknown partner %q: no partner has that id, name or alias", cell))
	}
	id := model.Slug(cell)
	if id == "" {
		return "", rp.badRow(line, fmt.Sprintf("unknown partner %q makes no id (it has no ASCII letters or digits): add it to the roster first", cell))
	}
	p, ok := rp.created[id]
	if !ok {
		p = newPartnerFromProduction(id, cell, rp.prog)
		rp.created[id] = p
		rp.order = append(rp.order, id)
	}
	if p.Joined.IsZero() || since.Before(p.Joined) {
		p.Joined, p.TierSince = since, since
	}
	return id, true
}

func (rp *rowPartners) badRow(line int, reason string) bool {
	rp.bad = append(rp.bad, RowError{File: rp.file, Line: line, Column: rp.column, Reason: reason})
	return false
}

// settle reports the bad rows (the parser's and the resolver's) and the
// unknown partners; it rejects the file when any row is bad and the import
// does not skip them, and otherwise writes the partners it created.
func (rp *rowPartners) settle(tx *bolt.Tx, rep *ImportReport, parsed []RowError, skipBad bool) error {
	bad := append(append([]RowError(nil), parsed...), rp.bad...)
	sortRowErrors(bad)
	rep.Bad, rep.Unknown = bad, sortedKeys(rp.unknown)
	if len(bad) > 0 && !skipBad {
		return &RejectedError{File: rp.file, Bad: bad}
	}
	news := make([]model.Partner, len(rp.order))
	for i, id := range rp.order {
		news[i] = *rp.created[id]
	}
	rep.Created = rp.order
	return putPartners(tx, news)
}
