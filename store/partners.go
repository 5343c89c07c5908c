package store

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/safetext"
)

// Partners lists every partner, sorted by name ignoring case.
func (s *Store) Partners() ([]model.Partner, error) {
	var out []model.Partner
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = readPartners(tx)
		return err
	})
	return out, err
}

// Partner reads one partner by id; a missing one is an error wrapping
// ErrNotFound.
func (s *Store) Partner(id string) (model.Partner, error) {
	var p model.Partner
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		p, err = getPartner(tx, id)
		return err
	})
	return p, err
}

// NameEntries lists what every partner can be looked up by (id, name,
// aliases, domains), in id order: the cheap read behind `show`.
func (s *Store) NameEntries() ([]model.NameEntry, error) {
	var out []model.NameEntry
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = nameEntries(tx)
		return err
	})
	return out, err
}

func nameEntries(tx *bolt.Tx) ([]model.NameEntry, error) {
	b := tx.Bucket(bucketPartners)
	out := make([]model.NameEntry, 0, countKeys(b))
	err := scanRecords(b, func(d *dec, keyLen int) error {
		e, err := decodeNameEntryDec(d, keyLen)
		if err != nil {
			return fmt.Errorf("partner %q: %w", d.b[:keyLen], err)
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// FindIDs lists the ids of the partners whose id, name, alias or email
// domain is exactly query, ignoring case: the names index's fast path for
// a lookup, before falling back to NameEntries and model.Lookup.
func (s *Store) FindIDs(query string) ([]string, error) {
	var out []string
	err := s.view(func(tx *bolt.Tx) error {
		out = findIDs(tx, query)
		return nil
	})
	return out, err
}

func findIDs(tx *bolt.Tx, query string) []string {
	key := normalKey(query)
	if key == "" {
		return nil
	}
	prefix := append([]byte(key), 0)
	var out []string
	c := tx.Bucket(bucketNames).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		id := string(k[len(prefix):])
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// PutPartners adds or replaces partners in one transaction and keeps the
// names index right, dropping the entries of old names, aliases and
// domains. Text fields are cleaned (CleanText); ids must be slugs
// (model.Slug(id) == id) and names not blank.
func (s *Store) PutPartners(ps []model.Partner) error {
	clean := make([]model.Partner, len(ps))
	for i := range ps {
		p, err := cleanPartner(ps[i])
		if err != nil {
			return err
		}
		clean[i] = p
	}
	return s.update(func(tx *bolt.Tx) error { return putPartners(tx, clean) })
}

// cleanPartner checks a partner's id and name and cleans its text.
func cleanPartner(p model.Partner) (model.Partner, error) {
	if p.ID == "" || model.Slug(p.ID) != p.ID {
		return p, fmt.Errorf("partner id %q: not an id (want lower-case letters, digits and hyphens, like %q)", p.ID, model.Slug(p.ID))
	}
	p.Name = safetext.Clean(p.Name)
	if p.Name == "" {
		return p, fmt.Errorf("partner %q: the name is blank", p.ID)
	}
	p.Track = safetext.Clean(p.Track)
	p.Manager = safetext.Clean(p.Manager)
	p.Tier = safetext.Clean(p.Tier)
	p.Aliases = cleanList(p.Aliases, false)
	p.Domains = cleanList(p.Domains, true)
	return p, nil
}

func cleanList(in []string, lower bool) []string {
	var out []string
	for _, s := range in {
		s = safetext.Clean(s)
		if lower {
			s = strings.ToLower(s)
		}
		if s != "" && !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, s) }) {
			out = append(out, s)
		}
	}
	return out
}

// putPartners writes partners (the last of repeated ids wins) and updates
// their names index entries. Keys are written in sorted order: bbolt
// inserts into a transaction's in-memory nodes by shifting, so a large
// transaction of unsorted keys is quadratic (100k partners' names took
// over a minute; sorted, they take under a second).
func putPartners(tx *bolt.Tx, ps []model.Partner) error {
	byID := make(map[string]int, len(ps))
	order := make([]int, 0, len(ps))
	for i := range ps {
		if j, ok := byID[ps[i].ID]; ok {
			order[j] = i
			continue
		}
		byID[ps[i].ID] = len(order)
		order = append(order, i)
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(ps[a].ID, ps[b].ID) })

	partners, names := tx.Bucket(bucketPartners), tx.Bucket(bucketNames)
	var dels, puts [][]byte
	for _, i := range order {
		p := &ps[i]
		var old []string
		if v := partners.Get([]byte(p.ID)); v != nil {
			prev, err := decodePartner(p.ID, v)
			if err != nil {
				return fmt.Errorf("partner %q: %w", p.ID, err)
			}
			old = nameKeys(&prev)
		}
		keys := nameKeys(p)
		for _, k := range old {
			if !slices.Contains(keys, k) {
				dels = append(dels, nameIndexKey(k, p.ID))
			}
		}
		for _, k := range keys {
			if !slices.Contains(old, k) {
				puts = append(puts, nameIndexKey(k, p.ID))
			}
		}
		if err := partners.Put([]byte(p.ID), encodePartner(p)); err != nil {
			return err
		}
	}
	return putIndexKeys(names, dels, puts)
}

// putIndexKeys deletes then adds names index keys, each in sorted order.
func putIndexKeys(names *bolt.Bucket, dels, puts [][]byte) error {
	slices.SortFunc(dels, bytes.Compare)
	for _, k := range dels {
		if err := names.Delete(k); err != nil {
			return err
		}
	}
	slices.SortFunc(puts, bytes.Compare)
	for _, k := range puts {
		if err := names.Put(k, nil); err != nil {
			return err
		}
	}
	return nil
}

// nameKeys are the names index keys of a partner: its id, name, aliases
// and domains, lower-cased, without repeats.
func nameKeys(p *model.Partner) []string {
	keys := make([]string, 0, 2+len(p.Aliases)+len(p.Domains))
	add := func(s string) {
		if k := normalKey(s); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	add(p.ID)
	add(p.Name)
	for _, a := range p.Aliases {
		add(a)
	}
	for _, d := range p.Domains {
		add(d)
	}
	return keys
}

// normalKey is how a name is compared: cleaned, lower case, and never
// holding the 0x00 that ends a names index key.
func normalKey(s string) string {
	return strings.ToLower(safetext.Clean(s))
}

func nameIndexKey(key, id string) []byte {
	b := make([]byte, 0, len(key)+1+len(id))
	b = append(b, key...)
	b = append(b, 0)
	return append(b, id...)
}

func getPartner(tx *bolt.Tx, id string) (model.Partner, error) {
	v := tx.Bucket(bucketPartners).Get([]byte(id))
	if v == nil {
		return model.Partner{}, fmt.Errorf("partner %q: %w", id, ErrNotFound)
	}
	p, err := decodePartner(id, v)
	if err != nil {
		return model.Partner{}, fmt.Errorf("partner %q: %w", id, err)
	}
	return p, nil
}

// readPartners decodes every partner and sorts them by name, ignoring
// case (then by id).
func readPartners(tx *bolt.Tx) ([]model.Partner, error) {
	out, err := readPartnersByID(tx)
	if err != nil {
		return nil, err
	}
	sortByName(out)
	return out, nil
}

// readPartnersByID decodes every partner, in id order.
func readPartnersByID(tx *bolt.Tx) ([]model.Partner, error) {
	b := tx.Bucket(bucketPartners)
	out := make([]model.Partner, 0, countKeys(b))
	err := scanRecords(b, func(d *dec, keyLen int) error {
		p, err := decodePartnerDec(d, keyLen)
		if err != nil {
			return fmt.Errorf("partner %q: %w", d.b[:keyLen], err)
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// countKeys counts a bucket's keys from its pages' headers, without
// reading the records: cheap next to decoding them, and it saves growing
// the result slices by copying.
func countKeys(b *bolt.Bucket) int { return b.Stats().KeyN }

// sortByName sorts partners by name ignoring case, then by id, and
// returns where each came from: from[i] is the index partner i had.
// Lower-cased names are computed once, not in every comparison.
func sortByName(ps []model.Partner) (from []int) {
	keys := make([]string, len(ps))
	from = make([]int, len(ps))
	for i := range ps {
		keys[i], from[i] = strings.ToLower(ps[i].Name), i
	}
	sort.Sort(byName{ps, keys, from})
	return from
}

type byName struct {
	ps   []model.Partner
	keys []string
	from []int
}

func (b byName) Len() int { return len(b.ps) }

func (b byName) Less(i, j int) bool {
	if b.keys[i] != b.keys[j] {
		return b.keys[i] < b.keys[j]
	}
	return b.ps[i].ID < b.ps[j].ID
}

func (b byName) Swap(i, j int) {
	b.ps[i], b.ps[j] = b.ps[j], b.ps[i]
	b.keys[i], b.keys[j] = b.keys[j], b.keys[i]
	b.from[i], b.from[j] = b.from[j], b.from[i]
}

// Lookup matches a query the way model.Lookup does (case ignored; an
// exact id, name, alias or domain wins; otherwise every partner with one
// containing the query; with no match, the closest names as suggestions),
// but reads only the names index and the matching partners: the fast path
// of `show NAME`. Only a query that matches nothing reads every name.
func (s *Store) Lookup(query string) (model.LookupResult, error) {
	q := normalKey(query)
	if q == "" {
		return model.LookupResult{}, nil
	}
	var res model.LookupResult
	err := s.view(func(tx *bolt.Tx) error {
		ids := findIDs(tx, q)
		if len(ids) == 0 {
			ids = containing(tx, q)
		}
		if len(ids) == 0 {
			entries, err := nameEntries(tx)
			if err != nil {
				return err
			}
			res = model.Lookup(entries, query)
			return nil
		}
		slices.Sort(ids)
		partners := tx.Bucket(bucketPartners)
		var scratch []byte
		for _, id := range ids {
			v := partners.Get([]byte(id))
			if v == nil {
				continue // an index entry without its partner: ignore it
			}
			e, err := decodeNameEntry([]byte(id), v, &scratch)
			if err != nil {
				return fmt.Errorf("partner %q: %w", id, err)
			}
			res.Matches = append(res.Matches, e)
		}
		return nil
	})
	return res, err
}

// containing lists the ids of partners with a names index key that
// contains q.
func containing(tx *bolt.Tx, q string) []string {
	qb := []byte(q)
	var out []string
	seen := map[string]bool{}
	c := tx.Bucket(bucketNames).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		sep := bytes.IndexByte(k, 0)
		if sep < 0 || !bytes.Contains(k[:sep], qb) {
			continue
		}
		if id := k[sep+1:]; !seen[string(id)] {
			seen[string(id)] = true
			out = append(out, string(id))
		}
	}
	return out
}
