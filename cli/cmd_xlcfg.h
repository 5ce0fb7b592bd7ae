/*
 * cmd_xlcfg: xlcfg's messages as axl's, for every command that reads
 * xl's words through core/xlcfg.h: configuration files, xl.conf, device
 * words, CPU lists.
 */
#ifndef AXL_CMD_XLCFG_H
#define AXL_CMD_XLCFG_H

/* xlcfg's report callback: errors and warnings as axl's messages. */
void cmd_xlcfg_report(void *user, int is_error, const char *msg);

#endif
