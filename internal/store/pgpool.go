package store

import "runtime"

// postgresPoolSize is how many connections this process opens to PostgreSQL: four per CPU, at least
// eight. Requests hold a connection only while their statements run (never across a PSP call), so
// a few per CPU keep the database busy; more only add backends that wait for one another. On two
// CPUs, 8 connections instead of 40 halved PostgreSQL's CPU time per payment in the bench (3.9–5.8
// ms instead of 7.9–8.8 ms, 32 concurrent payers), most of which was spent switching between
// backends queued for the WAL lock.
func postgresPoolSize() int { return max(8, 4*runtime.GOMAXPROCS(0)) }
