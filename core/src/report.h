/* Reports (report.c): what tm_finalize writes. */
#ifndef TIMEMORY_REPORT_H
#define TIMEMORY_REPORT_H

/* Prints and writes the report of every recorded component. */
int tm_reports_write_all(void);

#endif /* TIMEMORY_REPORT_H */
