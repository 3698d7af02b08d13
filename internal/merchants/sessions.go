package merchants

import (
	"context"
	"errors"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/auth"
	"securelink/internal/domain"
)

// Session is a portal login kept on the server: the session cookie names it, and it ends when the
// user logs out (here or everywhere), changes the password or is removed from the merchant.
type Session struct {
	ID         string
	UserID     string
	MerchantID string
	Livemode   bool
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// SessionStore keeps portal sessions.
type SessionStore interface {
	CreateSession(ctx context.Context, s Session) error
	// ActiveSession returns a session that is not revoked or expired and whose user still belongs
	// to its merchant; anything else is apperr.ErrNotFound.
	ActiveSession(ctx context.Context, id string, now time.Time) (Session, error)
	RevokeSession(ctx context.Context, id string, at time.Time) error
	// SetSessionMode sets a live session's mode; apperr.ErrNotFound when there is none.
	SetSessionMode(ctx context.Context, id string, livemode bool) error
	RevokeUserSessions(ctx context.Context, userID string, at time.Time) (int64, error)
	PurgeSessions(ctx context.Context, before time.Time) (int64, error)
	SetPassword(ctx context.Context, userID, passwordHash string, at time.Time) error
	// DeleteUser removes a user of the merchant with their invitations and sessions.
	DeleteUser(ctx context.Context, merchantID, userID string) error
}

// errSessionEnded is what every ended, revoked or foreign session answers.
func errSessionEnded() error {
	return apperr.Unauthenticated("session_invalid", "Your session has ended. Log in again.")
}

// StartSession records a session issued for the user.
func (s *Service) StartSession(ctx context.Context, u User, claims auth.SessionClaims, livemode bool) error {
	return s.Store.CreateSession(ctx, Session{ID: claims.SessionID, UserID: u.ID, MerchantID: u.MerchantID, Livemode: livemode,
		CreatedAt: s.now(), ExpiresAt: claims.ExpiresAt.UTC()})
}

// CheckSession is run on every request made with a session cookie: the session must be live and
// its user must still belong to the merchant the token names. The session tells the request's mode.
func (s *Service) CheckSession(ctx context.Context, claims auth.SessionClaims) (Session, error) {
	ses, err := s.Store.ActiveSession(ctx, claims.SessionID, s.now())
	if errors.Is(err, apperr.ErrNotFound) {
		return Session{}, errSessionEnded()
	}
	if err != nil {
		return Session{}, err
	}
	if ses.UserID != claims.UserID || ses.MerchantID != claims.MerchantID {
		return Session{}, errSessionEnded()
	}
	return ses, nil
}

// SetMode sets the portal's Test mode switch of a session: every later request made with it works
// in that mode. A new session starts in test mode.
func (s *Service) SetMode(ctx context.Context, actor domain.Actor, sessionID string, livemode bool) error {
	return s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Store.SetSessionMode(ctx, sessionID, livemode); err != nil {
			return err
		}
		actor.Livemode = livemode
		return s.Audit.Record(ctx, actor, "mode.switched", sessionID, map[string]any{"mode": domain.ModeName(livemode)})
	})
}

// Logout ends one session.
func (s *Service) Logout(ctx context.Context, actor domain.Actor, sessionID string) error {
	return s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Store.RevokeSession(ctx, sessionID, s.now()); err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "logout", actor.ID, nil)
	})
}

// LogoutEverywhere ends every session of the actor's user, in every browser.
func (s *Service) LogoutEverywhere(ctx context.Context, actor domain.Actor) error {
	return s.Tx.Run(ctx, func(ctx context.Context) error {
		n, err := s.Store.RevokeUserSessions(ctx, actor.ID, s.now())
		if err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "logout.everywhere", actor.ID, map[string]any{"sessions": n})
	})
}

// ChangePassword checks the current password, sets the new one and ends every session of the user;
// the caller issues a new session for the browser that made the change.
func (s *Service) ChangePassword(ctx context.Context, actor domain.Actor, current, next string) (User, error) {
	u, err := s.GetUser(ctx, actor.ID)
	if err != nil {
		return User{}, err
	}
	if current == "" || len(current) > 1024 || !auth.CheckPassword(u.PasswordHash, current) {
		return User{}, apperr.Invalid("current_password", "invalid_password", "The current password is wrong.")
	}
	if err := CheckPassword(next); err != nil {
		if ae, ok := apperr.As(err); ok {
			ae.Param = "new_password"
		}
		return User{}, err
	}
	hash, err := auth.HashPassword(next)
	if err != nil {
		return User{}, err
	}
	err = s.Tx.Run(ctx, func(ctx context.Context) error {
		now := s.now()
		if err := s.Store.SetPassword(ctx, u.ID, hash, now); err != nil {
			return err
		}
		if _, err := s.Store.RevokeUserSessions(ctx, u.ID, now); err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "password.changed", u.ID, nil)
	})
	return u, err
}

// RemoveUser takes a user off the actor's merchant and ends their sessions at once. Only an owner (or
// an API key) may remove users; nobody removes themselves, and the last owner stays.
func (s *Service) RemoveUser(ctx context.Context, actor domain.Actor, userID string) (User, error) {
	if actor.Type == domain.ActorUser {
		me, err := s.GetUser(ctx, actor.ID)
		if err != nil {
			return User{}, err
		}
		if me.Role != RoleOwner {
			return User{}, apperr.Forbidden("owner_required", "Only an owner can remove users.")
		}
		if userID == actor.ID {
			return User{}, apperr.Invalid("id", "cannot_remove_self", "You cannot remove yourself; ask another owner.")
		}
	}
	users, err := s.Store.ListUsers(ctx, actor.MerchantID)
	if err != nil {
		return User{}, err
	}
	var target User
	owners := 0
	for _, u := range users {
		if u.ID == userID {
			target = u
		}
		if u.Role == RoleOwner {
			owners++
		}
	}
	if target.ID == "" {
		return User{}, apperr.NotFound("user")
	}
	if target.Role == RoleOwner && owners == 1 {
		return User{}, apperr.Conflict("last_owner", "The last owner of a merchant cannot be removed.")
	}
	err = s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Store.DeleteUser(ctx, actor.MerchantID, userID); err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "user.removed", userID, map[string]any{"email": target.Email})
	})
	if errors.Is(err, apperr.ErrNotFound) {
		return User{}, apperr.NotFound("user")
	}
	return target, err
}

// PurgeSessions forgets sessions that ended a day ago or more.
func (s *Service) PurgeSessions(ctx context.Context) error {
	_, err := s.Store.PurgeSessions(ctx, s.now().Add(-24*time.Hour))
	return err
}

// RequireOwner refuses users who are not owners of their merchant; API keys act for the merchant
// and pass. Settings that decide where the money goes (provider accounts) are the owners'.
func (s *Service) RequireOwner(ctx context.Context, actor domain.Actor) error {
	if actor.Type != domain.ActorUser {
		return nil
	}
	me, err := s.GetUser(ctx, actor.ID)
	if err != nil {
		return err
	}
	if me.Role != RoleOwner {
		return apperr.Forbidden(apperr.CodeOwnerRequired, "Only an owner can manage the payment provider accounts.")
	}
	return nil
}
