// Playwright reporter that ends every run with the suite's wall time and its ten slowest tests, so a slowdown shows in each CI log.
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** How many of the slowest tests are printed. */
const SHOWN = 10;

interface Timed {
  title: string;
  ms: number;
  status: string;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export default class SlowestReporter implements Reporter {
  private readonly timed: Timed[] = [];

  printsToStdio(): boolean {
    // The list reporter keeps the terminal; this one only adds its summary.
    return false;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    // The project (engine) in brackets, then the file and the title.
    const [project, ...rest] = test.titlePath().filter(Boolean);
    const title = `[${project}] ${rest.join(' › ')}`;
    this.timed.push({ title, ms: result.duration, status: result.status });
  }

  onEnd(result: FullResult): void {
    const busy = this.timed.reduce((sum, t) => sum + t.ms, 0);
    const lines = [
      '',
      `e2e: ${this.timed.length} tests (${result.status}) in ${seconds(result.duration)} wall time, ${seconds(busy)} of test time over all workers`,
      `the ${Math.min(SHOWN, this.timed.length)} slowest:`,
      ...[...this.timed]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, SHOWN)
        .map((t) => `  ${seconds(t.ms).padStart(7)}  ${t.title}${t.status === 'passed' ? '' : ` (${t.status})`}`),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
}
