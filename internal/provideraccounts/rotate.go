package provideraccounts

import (
	"context"
	"fmt"
)

// Rotation counts what ResealAll did.
type Rotation struct {
	Resealed, Current int
}

// ResealAll seals every account's secrets with the current key; previous keys must still be in the
// keyring to open them. Afterwards the previous keys can be dropped.
func (s *Service) ResealAll(ctx context.Context) (Rotation, error) {
	var r Rotation
	all, err := s.Store.Sealed(ctx)
	if err != nil {
		return r, err
	}
	for _, a := range all {
		if a.KeyID == s.Keys.CurrentID() {
			r.Current++
			continue
		}
		secrets, err := s.open(a)
		if err != nil {
			return r, fmt.Errorf("account %s was sealed with key %s, which is not among the configured keys: %w", a.ID, a.KeyID, err)
		}
		next := a
		if err := s.seal(&next, secrets); err != nil {
			return r, err
		}
		ok, err := s.Store.Reseal(ctx, a.ID, a.KeyID, next.Secrets, next.KeyID)
		if err != nil {
			return r, err
		}
		if ok {
			r.Resealed++
		}
	}
	return r, nil
}
