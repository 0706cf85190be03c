/* What ingest (releases) and reextract (text revisions) share. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sign.h"
#include "writer.h"

int dc_thread_count(void)
{
	const char *env = getenv("DECLASS_THREADS");
	long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > DC_MAX_THREADS ? DC_MAX_THREADS : (int)n;
}

void dc_writer_identity(char name[256], char email[512])
{
	const char *n = getenv("DECLASS_AUTHOR_NAME"), *e = getenv("DECLASS_AUTHOR_EMAIL");
	struct passwd *pw = getpwuid(getuid());
	char host[128] = "localhost";

	if (!n || !*n)
		n = pw && pw->pw_name ? pw->pw_name : "declass";
	snprintf(name, 256, "%s", n);
	if (e && *e) {
		snprintf(email, 512, "%s", e);
	} else {
		gethostname(host, sizeof(host) - 1);
		snprintf(email, 512, "%s@%s", n, host);
	}
}

int dc_tip_release(store *s, store_oid *tip, int *has_tip, dc_buf *id, dc_buf *date)
{
	dc_buf msg = DC_BUF_INIT;
	dc_history h = { 0 };
	store_oid release;
	dc_commit_kind kind;
	long i;
	int error = store_tip(s, tip);

	*has_tip = 0;
	if (error == DECLASS_ENOTFOUND)
		return 0;
	if (error < 0)
		return error;
	*has_tip = 1;
	release = *tip;
	if ((error = store_commit_message(s, tip, &msg, NULL)) < 0 ||
	    (error = dc_message_kind(msg.ptr, &kind)) < 0)
		goto done;
	if (kind == DC_COMMIT_REVISION) {
		/* Below the text revisions: the newest release. */
		if ((error = dc_history_load(&h, s)) < 0)
			goto done;
		if ((i = dc_history_last_release(&h)) < 0) {
			error = dc_error_set(DECLASS_EARCHIVE, "the branch has no release commit");
			goto done;
		}
		release = h.commits[i];
		dc_buf_truncate(&msg, 0);
		if ((error = store_commit_message(s, &release, &msg, NULL)) < 0)
			goto done;
	}
	if ((error = store_trailer(msg.ptr, "Release-Date", date)) == DECLASS_ENOTFOUND)
		error = dc_error_set(DECLASS_EARCHIVE,
		                     "the newest release commit has no Release-Date");
	if (!error && id)
		error = dc_commit_release_id(s, &release, id);
done:
	dc_history_free(&h);
	dc_buf_free(&msg);
	return error;
}

int dc_repair_tip_tag(store *s, const store_oid *tip, const char *name, const char *email,
                      const declass_key *key)
{
	dc_buf msg = DC_BUF_INIT, id = DC_BUF_INIT, date = DC_BUF_INIT, sha = DC_BUF_INIT,
	       by = DC_BUF_INIT, tagmsg = DC_BUF_INIT;
	char who[256], mail[512];
	dc_commit_kind kind;
	const char *lt, *gt;
	int64_t when;
	int error;

	snprintf(who, sizeof(who), "%s", name);
	snprintf(mail, sizeof(mail), "%s", email);
	if ((error = store_commit_message(s, tip, &msg, &when)) < 0 ||
	    (error = dc_message_kind(msg.ptr, &kind)) < 0 || kind == DC_COMMIT_REVISION ||
	    (error = dc_commit_release_id(s, tip, &id)) < 0)
		goto done;
	if (store_trailer(msg.ptr, "Release-Date", &date) < 0 ||
	    store_trailer(msg.ptr, "Release-JSON-SHA256", &sha) < 0) {
		error = dc_error_set(DECLASS_EARCHIVE,
		                     "the newest release commit (%s) lacks Release-Date or "
		                     "Release-JSON-SHA256; its tag cannot be restored",
		                     id.ptr);
		goto done;
	}
	/* "Name <email>", as ingest writes it. */
	if (store_trailer(msg.ptr, "Ingested-By", &by) == 0 && (lt = strrchr(by.ptr, '<')) &&
	    (gt = strchr(lt, '>')) && lt > by.ptr && lt[-1] == ' ') {
		snprintf(who, sizeof(who), "%.*s", (int)(lt - 1 - by.ptr), by.ptr);
		snprintf(mail, sizeof(mail), "%.*s", (int)(gt - lt - 1), lt + 1);
	}
	if ((error = dc_release_tag_message(&tagmsg, id.ptr, date.ptr, sha.ptr)) < 0)
		goto done;
	if (key) {
		char hex[STORE_OID_HEX];

		store_oid_fmt(hex, tip);
		if ((error = dc_sign_release(&tagmsg, key, hex, id.ptr, date.ptr, sha.ptr)) < 0)
			goto done;
	}
	error = store_repair_tag(s, id.ptr, tagmsg.ptr, who, mail, when);
	if (error > 0)
		error = 0;
done:
	dc_buf_free(&msg);
	dc_buf_free(&id);
	dc_buf_free(&date);
	dc_buf_free(&sha);
	dc_buf_free(&by);
	dc_buf_free(&tagmsg);
	return error;
}
