package main

import (
	"context"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat times; it is 100 on every Linux build that
// matters here, and the standard library offers no sysconf to ask.
const clockTicks = 100

// cpuSampler reads how much CPU the server process (with SQLite inside it), the bench database's
// PostgreSQL backends and the bench itself have used. On a shared machine requests/s moves with everyone else's load, but
// CPU time per request stays put, so it is the figure to compare between runs.
type cpuSampler struct {
	serverPID int
	store     benchStore
	// pprofAddr and profileDir are set when the run writes CPU profiles of the server.
	pprofAddr  string
	profileDir string
}

// cpuSample is one reading.
type cpuSample struct {
	server   time.Duration
	backends map[int]processUse
	self     time.Duration
	// serverRead is the bytes the server has read from disk.
	serverRead int64
	// machine is the CPU time every process on the machine has used, and at when it was read.
	machine time.Duration
	at      time.Time
}

// processUse is one PostgreSQL backend's CPU time and the bytes it has read from disk.
type processUse struct {
	cpu  time.Duration
	read int64
}

// cpuUsage is what a scenario cost in CPU time, and the bytes the server (with SQLite inside it)
// and the PostgreSQL backends had to read from disk meanwhile.
type cpuUsage struct {
	Server, Postgres, Bench time.Duration
	DiskRead                int64
	// Machine is the CPU time every process used meanwhile, and Wall how long it lasted.
	Machine, Wall time.Duration
}

// plus is u and v added up.
func (u cpuUsage) plus(v cpuUsage) cpuUsage {
	return cpuUsage{Server: u.Server + v.Server, Postgres: u.Postgres + v.Postgres, Bench: u.Bench + v.Bench,
		DiskRead: u.DiskRead + v.DiskRead, Machine: u.Machine + v.Machine, Wall: u.Wall + v.Wall}
}

// othersShare is the share of the machine's CPUs that processes other than the server, the
// bench database's backends and the bench used: another database's background work, or a
// neighbour's. It is -1 when the machine's CPU time could not be read.
func (u cpuUsage) othersShare(cpus int) float64 {
	if u.Machine <= 0 || u.Wall <= 0 || cpus <= 0 {
		return -1
	}
	others := u.Machine - u.Server - u.Postgres - u.Bench
	return max(0, float64(others)/float64(u.Wall*time.Duration(cpus)))
}

func (s *cpuSampler) sample(ctx context.Context) cpuSample {
	out := cpuSample{server: processCPU(s.serverPID), backends: map[int]processUse{}, serverRead: processDiskRead(s.serverPID),
		machine: machineCPU(), at: time.Now()}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		out.self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	for _, pid := range s.store.BackendPIDs(ctx) {
		out.backends[pid] = processUse{cpu: processCPU(pid), read: processDiskRead(pid)}
	}
	return out
}

// since is the CPU used, and the bytes read from disk, between start and s. A backend that started
// meanwhile counts in full; one that ended meanwhile is lost, which the server's long-lived pool
// makes rare.
func (s cpuSample) since(start cpuSample) cpuUsage {
	u := cpuUsage{Server: s.server - start.server, Bench: s.self - start.self, DiskRead: s.serverRead - start.serverRead,
		Wall: s.at.Sub(start.at)}
	if s.machine > 0 && start.machine > 0 {
		u.Machine = s.machine - start.machine
	}
	for pid, b := range s.backends {
		u.Postgres += b.cpu - start.backends[pid].cpu
		u.DiskRead += b.read - start.backends[pid].read
	}
	return u
}

// processDiskRead is the bytes pid has had read from disk for it (read_bytes in /proc/<pid>/io:
// reads the page cache answered do not count), or 0 when it cannot be read.
func processDiskRead(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/io")
	if err != nil {
		return 0
	}
	return readBytesOf(string(b))
}

// readBytesOf is the read_bytes field of a /proc/<pid>/io text, or 0 without one.
func readBytesOf(io string) int64 {
	for line := range strings.Lines(io) {
		if v, ok := strings.CutPrefix(line, "read_bytes:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n
		}
	}
	return 0
}

// processCPU is user+system time of pid from /proc, or 0 when it cannot be read.
func processCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name in parentheses may hold spaces; the fields after it are fixed.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	// After the name: state is field 3 of the full line, utime 14 and stime 15.
	if len(f) < 13 {
		return 0
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// machineCPU is the CPU time all processes have used (/proc/stat's first line: user, nice,
// system, irq, softirq and steal), or 0 when it cannot be read.
func machineCPU() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	return machineCPUOf(string(b))
}

// machineCPUOf is machineCPU from a /proc/stat text.
func machineCPUOf(stat string) time.Duration {
	line, _, _ := strings.Cut(stat, "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0
	}
	var ticks int64
	for _, i := range []int{1, 2, 3, 6, 7, 8} { // user nice system (idle iowait) irq softirq steal
		n, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return 0
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks
}
