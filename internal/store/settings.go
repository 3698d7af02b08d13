package store

import (
	"context"
	"fmt"

	"gorm.io/gorm/clause"
)

// Settings keeps process-wide values every replica must share, such as generated secrets.
type Settings struct{ DB *DB }

type settingRow struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

func (settingRow) TableName() string { return "settings" }

// GetOrCreate returns the value of key, storing gen() first if it has none. Replicas starting at
// once agree on one value: the first insert wins and every one reads it back.
func (s *Settings) GetOrCreate(ctx context.Context, key string, gen func() string) (string, error) {
	db := s.DB.conn(ctx)
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&settingRow{Key: key, Value: gen()}).Error; err != nil {
		return "", fmt.Errorf("store: create setting %s: %w", key, err)
	}
	var r settingRow
	if err := db.Where("key = ?", key).Take(&r).Error; err != nil {
		return "", fmt.Errorf("store: read setting %s: %w", key, err)
	}
	return r.Value, nil
}
