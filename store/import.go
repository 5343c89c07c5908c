package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/csvin"
	"github.com/partnertiers/partnertiers/store/safetext"
)

// RowError is one problem in an imported file; its Error() reads
// "file:line: column: reason".
type RowError = csvin.RowError

// ProductionColumns names the columns of a production file: the partner
// and period columns, and per metric key the column it is read from (a
// metric not in Metrics is read from the column named like its key).
type ProductionColumns = csvin.ProductionColumns

// DefaultProductionColumns are `partner`, `period` and one column per metric key.
func DefaultProductionColumns() ProductionColumns { return csvin.DefaultProductionColumns() }

// ImportOptions change how an import treats problems.
type ImportOptions struct {
	// SkipBad writes the good rows of a file with bad rows and reports the
	// rest; by default any bad row rejects the whole file.
	SkipBad bool
	// CreatePartners adds the partners a production file names but the
	// store does not have, at the entry tier and in the program's first
	// track; by default they are bad rows.
	CreatePartners bool
	// Now is the import's time (default: the store's clock).
	Now time.Time
	// DryRun runs the import to its end and rolls it back: the report says
	// what it would do (Changes lists production before and after), and
	// neither the store nor its import log changes.
	DryRun bool
	// Period, when set, restricts a production import to that period: a
	// rows file without a period column is about it, and rows of other
	// periods are ignored; of a deals export, the deals that do not count
	// in it are ignored (see ImportDeals). Both are counted in
	// ImportReport.Outside.
	Period model.Period
	// Progress, when set, is called as the import applies the file's rows:
	// done of total, from the importing goroutine, often; throttle there.
	Progress func(done, total int)
}

// ImportReport says what an import did.
type ImportReport struct {
	File string
	// Rows is the number of data rows in the file; Written the number of
	// rows applied to the store.
	Rows, Written int
	// AlreadyImported is set when the same content was imported before:
	// nothing was done.
	AlreadyImported bool
	// Bad lists the rows (or the header) that could not be imported, in
	// line order.
	Bad []RowError
	// Unknown lists, as written, the partners a production file names that
	// the store did not have (created when CreatePartners is set).
	Unknown []string
	// Created lists the ids of partners the import added.
	Created []string
	// Warnings lists rows imported with a caveat (a deals export's blank
	// amount counted as zero, a deal id seen twice).
	Warnings []RowError
	// Outside counts the rows ignored for being about another period than
	// ImportOptions.Period.
	Outside int
	// DryRun is set when the import was rolled back (ImportOptions.DryRun):
	// Written and Created say what it would have done.
	DryRun bool
	// Changes lists, on a dry run, each partner and period whose
	// production would change, in partner and period order.
	Changes []Change
}

// Change is what an import does to one partner's production in one period.
type Change struct {
	Partner string
	Period  model.Period
	// Values lists the metrics that change, by key.
	Values []ValueChange
}

// ValueChange is one metric's value before and after an import. Added
// means there was no value before (From is 0), Removed that there is none
// after (To is 0).
type ValueChange struct {
	Metric         string
	From, To       float64
	Added, Removed bool
}

// RejectedError is returned when an import writes nothing because of bad
// rows or a bad header. Bad lists them, also in the ImportReport.
type RejectedError struct {
	File string
	Bad  []RowError
}

// maxListed is how many row errors RejectedError's message lists.
const maxListed = 20

func (e *RejectedError) Error() string {
	if len(e.Bad) == 1 {
		return e.Bad[0].Error() + "; nothing imported"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d bad rows; nothing imported", e.File, len(e.Bad))
	for i, r := range e.Bad {
		if i == maxListed {
			fmt.Fprintf(&b, "\n… and %d more", len(e.Bad)-maxListed)
			break
		}
		b.WriteString("\n" + r.Error())
	}
	return b.String()
}

// Import kinds in the log.
const (
	KindPartners   = "partners"
	KindProduction = "production"
	KindDeals      = "deals"
)

// ImportRecord is one entry of the import log, keyed by the content's hash.
type ImportRecord struct {
	Hash    string    `json:"-"` // hex sha256 of the file's content
	File    string    `json:"file"`
	Kind    string    `json:"kind"`
	At      time.Time `json:"at"`
	Rows    int       `json:"rows"`
	Written int       `json:"written"`
	Bad     int       `json:"bad"`
	Created int       `json:"created"`
	// Period is the period a production import was restricted to
	// (ImportOptions.Period); the same file for another period is another
	// import.
	Period string `json:"period,omitempty"`
}

// Imports lists the import log, oldest first.
func (s *Store) Imports() ([]ImportRecord, error) {
	var out []ImportRecord
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketImports).ForEach(func(k, v []byte) error {
			var r ImportRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("import log: %w", err)
			}
			r.Hash, _, _ = strings.Cut(string(k), "@")
			out = append(out, r)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b ImportRecord) int { return a.At.Compare(b.At) })
	return out, err
}

// priorImport finds a complete earlier import of the same content and
// kind. An import that skipped bad rows does not count: importing the file
// again (say, after adding the missing partners) must apply them.
func priorImport(tx *bolt.Tx, hash, kind string) (ImportRecord, bool) {
	v := tx.Bucket(bucketImports).Get([]byte(hash))
	if v == nil {
		return ImportRecord{}, false
	}
	var r ImportRecord
	if json.Unmarshal(v, &r) != nil || r.Kind != kind || r.Bad > 0 {
		return ImportRecord{}, false
	}
	return r, true
}

// alreadyImported checks the log in a read transaction, before parsing.
// beginImport is how every import starts: the file's name cleaned for
// the report, the program checked, the import's time and log key, and
// whether the log already holds it (then rep says so and the import stops).
func (s *Store) beginImport(name string, data []byte, prog *model.Program, opts ImportOptions, kind, reading string) (rep ImportReport, hash string, now time.Time, done bool, err error) {
	rep = ImportReport{File: safetext.Clean(name)}
	if err := checkProgram(prog, opts); err != nil {
		return rep, "", now, true, err
	}
	hash = importKey(data, opts.Period, reading)
	done, err = s.alreadyImported(&rep, hash, kind)
	return rep, hash, s.importTime(opts), done, err
}

func (s *Store) alreadyImported(rep *ImportReport, hash, kind string) (bool, error) {
	var found bool
	err := s.view(func(tx *bolt.Tx) error {
		var r ImportRecord
		if r, found = priorImport(tx, hash, kind); found {
			rep.AlreadyImported, rep.Rows = true, r.Rows
		}
		return nil
	})
	return found, err
}

func logImport(tx *bolt.Tx, hash string, r ImportRecord) error {
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketImports).Put([]byte(hash), v)
}

// importKey is an import's key in the log: the hex sha256 of the file's
// content, then "@" and the period the import was restricted to, if any,
// then "#" and a digest of how the file is read (its column mapping, the
// metrics it may set), if any: the same file read another way (the won
// stages fixed in the config, say) is another import, not a repeat.
func importKey(data []byte, period model.Period, reading string) string {
	key := contentHash(data)
	if !period.IsZero() {
		key += "@" + period.String()
	}
	if reading != "" {
		key += "#" + contentHash([]byte(reading))[:16]
	}
	return key
}

// readingOf describes how a file is read, for importKey: the mapping and
// the metrics of the program it may set. fmt prints maps sorted.
func readingOf(mapping any, prog *model.Program) string {
	var keys []string
	if prog != nil { // a nil program is refused by checkProgram
		for _, m := range prog.Metrics {
			keys = append(keys, m.Key)
		}
	}
	return fmt.Sprintf("%+v %v", mapping, keys)
}

func contentHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func checkProgram(prog *model.Program, opts ImportOptions) error {
	if prog == nil || len(prog.Tiers) == 0 {
		return errors.New("import: the program has no tiers")
	}
	if p := opts.Period; !p.IsZero() && p.Cad != prog.Cadence {
		return fmt.Errorf("import: period %s does not fit the %s cadence", p, prog.Cadence)
	}
	return nil
}

func periodText(p model.Period) string {
	if p.IsZero() {
		return ""
	}
	return p.String()
}

// importTx runs an import's transaction. On a dry run the transaction is
// rolled back once fn has done all of its work, the same work a real
// import does, so the report says exactly what the import would do.
func (s *Store) importTx(opts ImportOptions, rep *ImportReport, fn func(tx *bolt.Tx) error) error {
	err := s.update(func(tx *bolt.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		if opts.DryRun {
			rep.DryRun = true
			return errNoChange
		}
		return nil
	})
	if err != nil { // nothing was written, whatever fn had counted
		rep.Written, rep.Created = 0, nil
	}
	return err
}

// writeProduction fills a merger (fill merges the import's values into
// it), writes what changed, reports it for a dry run, and logs the import
// as rec with written rows: the end that production rows and deals share.
func writeProduction(tx *bolt.Tx, opts ImportOptions, rep *ImportReport, hash string, rec ImportRecord, written int, fill func(*merger) error) error {
	m := newMerger(tx)
	if opts.DryRun {
		m.collectChanges()
	}
	if err := fill(m); err != nil {
		return err
	}
	if err := m.flush(); err != nil {
		return err
	}
	rep.Written = written
	if opts.DryRun {
		rep.Changes = m.changes()
	}
	rec.Rows, rec.Written, rec.Bad, rec.Created, rec.Period = rep.Rows, rep.Written, len(rep.Bad), len(rep.Created), periodText(opts.Period)
	return logImport(tx, hash, rec)
}

func (s *Store) importTime(opts ImportOptions) time.Time {
	if !opts.Now.IsZero() {
		return opts.Now
	}
	return s.opts.Now()
}

// fileError turns a parser's file-level error into a rejected report.
func fileError(rep ImportReport, err error) (ImportReport, error) {
	var re *RowError
	if errors.As(err, &re) {
		rep.Bad = []RowError{*re}
		return rep, &RejectedError{File: rep.File, Bad: rep.Bad}
	}
	return rep, err
}

func sortRowErrors(bad []RowError) {
	slices.SortStableFunc(bad, func(a, b RowError) int { return a.Line - b.Line })
}

// ImportPartners imports a partner roster (see csvin.ParseRoster for the
// columns) in one transaction. Each row adds a partner or updates the one
// with its id (given, or the slug of its name):
//   - a new partner needs a track (when the program has tracks) and a
//     joined date; a blank tier is the entry tier, a blank tier_since the
//     joined date;
//   - for an existing partner, a column the file lacks leaves that field
//     alone; blank manager, domains and aliases cells clear them, blank
//     track, tier, joined, tier_since and status cells keep what the store
//     has; a changed tier starts a new tier-since (the tier_since cell, or
//     the import's date) and appends a history entry, an unchanged tier
//     keeps its tier-since unless the file gives one.
//
// Any bad row rejects the file and nothing is written, unless SkipBad.
// The same content imported again is a no-op (AlreadyImported).
func (s *Store) ImportPartners(name string, data []byte, prog *model.Program, opts ImportOptions) (ImportReport, error) {
	rep, hash, now, done, err := s.beginImport(name, data, prog, opts, KindPartners, "")
	if done || err != nil {
		return rep, err
	}
	name = rep.File
	ro, err := csvin.ParseRoster(name, data, prog)
	if err != nil {
		return fileError(rep, err)
	}
	rep.Rows = len(ro.Rows) + len(ro.Bad)
	err = s.importTx(opts, &rep, func(tx *bolt.Tx) error {
		if r, ok := priorImport(tx, hash, KindPartners); ok {
			rep.AlreadyImported, rep.Rows = true, r.Rows
			return errNoChange
		}
		bad := slices.Clone(ro.Bad)
		var puts []model.Partner
		var hist []model.History
		var created []string
		for i, r := range ro.Rows {
			if opts.Progress != nil {
				opts.Progress(i, len(ro.Rows))
			}
			var existing *model.Partner
			if p, err := getPartner(tx, r.ID); err == nil {
				existing = &p
			} else if !errors.Is(err, ErrNotFound) {
				return err
			}
			p, h, rowErr := applyRoster(ro, r, existing, prog, now)
			if rowErr != nil {
				bad = append(bad, *rowErr)
				continue
			}
			cp, err := cleanPartner(p)
			if err != nil {
				bad = append(bad, RowError{File: name, Line: r.Line, Column: ro.Column(csvin.ColName), Reason: err.Error()})
				continue
			}
			puts = append(puts, cp)
			if h != nil {
				hist = append(hist, *h)
			}
			if existing == nil {
				created = append(created, p.ID)
			}
		}
		if opts.Progress != nil {
			opts.Progress(len(ro.Rows), len(ro.Rows))
		}
		sortRowErrors(bad)
		rep.Bad = bad
		if len(bad) > 0 && !opts.SkipBad {
			return &RejectedError{File: name, Bad: bad}
		}
		if err := putPartners(tx, puts); err != nil {
			return err
		}
		if err := appendHistory(tx, hist); err != nil {
			return err
		}
		rep.Written, rep.Created = len(puts), created
		return logImport(tx, hash, ImportRecord{File: name, Kind: KindPartners, At: now,
			Rows: rep.Rows, Written: rep.Written, Bad: len(bad), Created: len(created)})
	})
	return rep, err
}

// applyRoster makes the partner a roster row describes, and the history
// entry of a tier change.
func applyRoster(ro *csvin.Roster, r csvin.RosterRow, existing *model.Partner, prog *model.Program, now time.Time) (model.Partner, *model.History, *RowError) {
	rowErr := func(col, reason string) (model.Partner, *model.History, *RowError) {
		return model.Partner{}, nil, &RowError{File: ro.File, Line: r.Line, Column: ro.Column(col), Reason: reason}
	}
	if existing == nil {
		if r.Track == "" && len(prog.Tracks) > 0 {
			keys := make([]string, len(prog.Tracks))
			for i, t := range prog.Tracks {
				keys[i] = t.Key
			}
			return rowErr(csvin.ColTrack, "required for a new partner (want "+strings.Join(keys, ", ")+")")
		}
		if r.Joined.IsZero() {
			return rowErr(csvin.ColJoined, "required for a new partner: the date it joined, as YYYY-MM-DD")
		}
		p := model.Partner{
			ID: r.ID, Name: r.Name, Track: r.Track, Manager: r.Manager,
			Domains: r.Domains, Aliases: r.Aliases,
			Tier: r.Tier, TierSince: r.TierSince, Joined: r.Joined,
			Exited: r.Status == csvin.StatusExited,
		}
		if p.Tier == "" {
			p.Tier = prog.EntryTier().Key
		}
		if p.TierSince.IsZero() {
			p.TierSince = p.Joined
		}
		return p, nil, nil
	}
	p := *existing
	p.Name = r.Name
	if r.Track != "" {
		p.Track = r.Track
	}
	if ro.Has(csvin.ColManager) {
		p.Manager = r.Manager
	}
	if ro.Has(csvin.ColDomains) {
		p.Domains = r.Domains
	}
	if ro.Has(csvin.ColAliases) {
		p.Aliases = r.Aliases
	}
	if !r.Joined.IsZero() {
		p.Joined = r.Joined
	}
	if r.Status != "" {
		p.Exited = r.Status == csvin.StatusExited
	}
	var h *model.History
	switch {
	case r.Tier != "" && r.Tier != p.Tier:
		h = &model.History{
			Partner: p.ID, From: p.Tier, To: r.Tier,
			Period: model.PeriodOf(now, prog.Cadence),
			Reason: "set by the roster import of " + ro.File,
			By:     "roster import", At: now, Kind: model.Set,
		}
		p.Tier = r.Tier
		p.TierSince = r.TierSince
		if p.TierSince.IsZero() {
			y, m, d := now.Date()
			p.TierSince = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		}
	case !r.TierSince.IsZero():
		p.TierSince = r.TierSince
	}
	return p, h, nil
}

// ImportProduction imports a per-partner, per-period production file in
// one transaction. Each row's partner cell is matched ignoring case
// against the partners' ids, names, aliases and email domains (then as a
// slug of an id); its values (blank cells are absent) are merged into that
// partner's period, replacing the metrics the row gives. Duplicate
// (partner, period) rows, bad values and unknown or ambiguous partners are
// bad rows: any bad row rejects the file and nothing is written, unless
// SkipBad. CreatePartners adds unknown partners instead (entry tier, the
// program's first track, joined at the start of their first period in the
// file). The same content imported again is a no-op (AlreadyImported).
func (s *Store) ImportProduction(name string, data []byte, prog *model.Program, cols ProductionColumns, opts ImportOptions) (ImportReport, error) {
	rep, hash, now, done, err := s.beginImport(name, data, prog, opts, KindProduction, readingOf(cols, prog))
	if done || err != nil {
		return rep, err
	}
	name = rep.File
	pr, err := csvin.ParseProductionIn(name, data, prog, cols, opts.Period)
	if err != nil {
		return fileError(rep, err)
	}
	rep.Rows = len(pr.Rows) + len(pr.Bad) + pr.Outside
	rep.Outside = pr.Outside
	err = s.importTx(opts, &rep, func(tx *bolt.Tx) error {
		if r, ok := priorImport(tx, hash, KindProduction); ok {
			rep.AlreadyImported, rep.Rows = true, r.Rows
			return errNoChange
		}
		rp := newRowPartners(tx, name, pr.PartnerColumn, prog, opts.CreatePartners)
		type rowKey struct {
			id     string
			period model.Period
		}
		firstLine := map[rowKey]int{}
		var dups []RowError
		type goodRow struct {
			id  string
			row *csvin.ProductionRow
		}
		var good []goodRow
		for i := range pr.Rows {
			r := &pr.Rows[i]
			id, ok := rp.id(r.Partner, r.Line, r.Period.Start())
			if !ok {
				continue
			}
			k := rowKey{id, r.Period}
			if first, dup := firstLine[k]; dup {
				dups = append(dups, RowError{File: name, Line: r.Line, Column: pr.PeriodColumn,
					Reason: fmt.Sprintf("a second row for %s in %s (the first is line %d)", id, r.Period, first)})
				continue
			}
			firstLine[k] = r.Line
			good = append(good, goodRow{id, r})
		}
		if err := rp.settle(tx, &rep, append(slices.Clone(pr.Bad), dups...), opts.SkipBad); err != nil {
			return err
		}
		rec := ImportRecord{File: name, Kind: KindProduction, At: now}
		return writeProduction(tx, opts, &rep, hash, rec, len(good), func(m *merger) error {
			for i, g := range good {
				if err := m.mergeValues(g.id, g.row.Period, pr.Metrics, g.row.Values); err != nil {
					return err
				}
				if opts.Progress != nil {
					opts.Progress(i+1, len(good))
				}
			}
			return nil
		})
	})
	return rep, err
}

func newPartnerFromProduction(id, name string, prog *model.Program) *model.Partner {
	p := &model.Partner{ID: id, Name: name, Tier: prog.EntryTier().Key}
	if len(prog.Tracks) > 0 {
		p.Track = prog.Tracks[0].Key
	}
	return p
}

// resolver finds which partner a production row's partner cell means.
type resolver struct {
	tx    *bolt.Tx
	cache map[string][]string
}

func (r *resolver) resolve(cell string) []string {
	key := normalKey(cell)
	if ids, ok := r.cache[key]; ok {
		return ids
	}
	ids := findIDs(r.tx, key)
	if len(ids) > 1 && slices.Contains(ids, key) {
		ids = []string{key} // an exact id wins over another partner's name or alias
	}
	if len(ids) == 0 {
		if slug := model.Slug(cell); slug != "" && r.tx.Bucket(bucketPartners).Get([]byte(slug)) != nil {
			ids = []string{slug}
		}
	}
	r.cache[key] = ids
	return ids
}

func sortedKeys(m map[string]bool) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
