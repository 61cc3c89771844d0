/*
 * youthwork sync: the version bookkeeping as a model, checked exhaustively with spin.
 *
 * Two laptops, one record with an ordinary field (0, like `area`) and a safety-critical one (1, `rag`), a few edits.
 * The server is youthwork/server/push.py's merge rule: a field set since the edit's base_version by another device
 * is a conflict; an ordinary field takes the incoming value and keeps the server's in the conflicts list; a
 * safety-critical field keeps the server's value and the incoming one waits in the list. A change seen before is
 * answered from the stored result. The laptop is youthwork/sync/engine.py and youthwork/store/outbox.py: edit
 * (queue a change with its base), push (the server applies it), acknowledge (drop it; put the server's value back
 * after a safety-critical conflict), pull (a page with the record as it is now), apply (fields without an unsent
 * change, and the version, unless the page is older). A crash or a dropped connection between any two steps loses
 * the reply or page on its way; the outbox survives. As in the engine, a laptop runs one cycle at a time and pushes
 * (and acknowledges) before it pulls: no acknowledgement falls between a page's fetch and its apply. (Without that,
 * a page fetched before the laptop's own change was acknowledged would put the older value back on its screen: the
 * model finds that trace if the two guards marked "one cycle" are removed.)
 *
 * The properties. Nothing lost unseen (asserted where the server takes a value with no conflict kept): the value
 * replaced is the one the laptop showed when the edit was made, or it is in the conflicts list. Convergence: when
 * nothing is waiting or on its way, a laptop whose cursor is past the record's last change shows the server's values
 * (a pulled value left alone for an unsent change is put back when that change is acknowledged, if it was newer).
 *
 * OLD_RULE=1 is the rule before issue 15: an acknowledgement raised the record's version to the one the server
 * reported, and the later unsent changes' bases with it. OLD_RULE=0 (the rule now): only an applied page raises
 * it, the one exception being a creation answered with version 1, and an edit of a field with an unsent change
 * claims no more than that change's base (Outbox.base_for). See README.md beside this file to rerun.
 */

#ifndef OLD_RULE
#define OLD_RULE 0
#endif
#ifndef EDITS
#define EDITS 3
#endif

#define LAPTOPS 2
#define FIELDS 2
#define SAFE 1      /* the safety-critical field */
#define SLOTS 3     /* outbox entries per laptop */
#define NONE 255

/* the server: the record (version 1 at the start, both laptops have pulled it) */
byte ver = 1;
byte val[FIELDS];       /* the edit whose value each field holds (0: the value at the start) */
byte fv[FIELDS];        /* the version that last set each field */
byte fd[FIELDS];        /* the device that last set it (LAPTOPS: none) */
bool kept[EDITS + 1];   /* values in the conflicts list */
bool seen[EDITS + 1];   /* change ids the server has answered (a resend gets the stored result) */
byte rver[EDITS + 1];   /* stored result: the version reported */
bool rsafe[EDITS + 1];  /* stored result: the server kept its safety-critical value */
byte rval[EDITS + 1];   /* stored result: the server's value of the field then */

/* the edits: which field, and what the laptop showed when it was made */
byte edits = 0;
byte efield[EDITS + 1];
byte eover[EDITS + 1];

typedef Laptop {
    byte lval[FIELDS];  /* what the worker sees */
    byte applied;       /* the record's _server_version on the laptop */
    byte q[SLOTS];      /* the outbox: change ids in order */
    byte qbase[SLOTS];  /* their base_version */
    byte qn;
    byte reply;         /* a push reply on its way (change id), NONE: none */
    bool page;          /* a pull page on its way */
    byte pver;
    byte pval[FIELDS];
    byte cursor;        /* the version of the last page applied: a pull brings the record only if it changed since */
    byte sval[FIELDS];  /* a pulled value left alone for an unsent change, and its version (0: none) */
    byte sver[FIELDS]
}
Laptop L[LAPTOPS];

byte i, e, f, b;
bool pending, newer;

inline is_pending(l, fld) {
    pending = false;
    i = 0;
    do
    :: i < L[l].qn -> if :: efield[L[l].q[i]] == fld -> pending = true :: else -> skip fi; i++
    :: else -> break
    od
}

inline edit(l, fld) {
    atomic {
        edits < EDITS && L[l].qn < SLOTS ->
        edits++; e = edits;
        efield[e] = fld; eover[e] = L[l].lval[fld]; L[l].lval[fld] = e;
        b = L[l].applied;
#if !OLD_RULE
        i = 0;   /* Outbox.base_for: no more than an unsent change of the same field claims */
        do
        :: i < L[l].qn -> if :: efield[L[l].q[i]] == fld && L[l].qbase[i] < b -> b = L[l].qbase[i] :: else -> skip fi; i++
        :: else -> break
        od;
#endif
        L[l].q[L[l].qn] = e; L[l].qbase[L[l].qn] = b; L[l].qn++;
        printf("laptop %d: edit %d of field %d over %d, base %d\n", l, e, fld, eover[e], b);
        e = 0; b = 0; i = 0
    }
}

inline push(l) {
    atomic {
        L[l].qn > 0 && L[l].reply == NONE && !L[l].page ->   /* one cycle: no push while a page is on its way */
        e = L[l].q[0]; f = efield[e]; b = L[l].qbase[0];
        if
        :: seen[e] -> printf("laptop %d: push %d again, stored answer\n", l, e)   /* a resend: nothing changes */
        :: else ->
            seen[e] = true;
            newer = (fv[f] > b && fd[f] != l);
            printf("laptop %d: push %d (field %d, base %d); server v%d holds %d set at v%d\n", l, e, f, b, ver, val[f], fv[f]);
            if
            :: newer && f == SAFE ->   /* the server keeps its value; the incoming one waits for review */
                kept[e] = true; rsafe[e] = true
            :: else ->
                if
                :: newer -> kept[val[f]] = true   /* the replaced value is kept in the conflicts list */
                :: else -> assert(eover[e] == val[f] || kept[val[f]])   /* THE PROPERTY: nothing lost unseen */
                fi;
                ver++; val[f] = e; fv[f] = ver; fd[f] = l; rsafe[e] = false
            fi;
            rver[e] = ver; rval[e] = val[f];
            printf("  server: now v%d, field %d holds %d (kept in conflicts: %d)\n", ver, f, val[f], newer)
        fi;
        L[l].reply = e;
        e = 0; f = 0; b = 0; newer = false
    }
}

inline acknowledge(l) {
    atomic {
        L[l].reply != NONE ->
        e = L[l].reply; b = L[l].qbase[0];
        assert(L[l].q[0] == e);
        i = 0;   /* drop the head of the outbox */
        do
        :: i + 1 < L[l].qn -> L[l].q[i] = L[l].q[i + 1]; L[l].qbase[i] = L[l].qbase[i + 1]; i++
        :: else -> break
        od;
        L[l].qn--;
#if OLD_RULE
        if
        :: rver[e] > L[l].applied ->
            L[l].applied = rver[e];
            i = 0;
            do
            :: i < L[l].qn -> if :: L[l].qbase[i] < rver[e] -> L[l].qbase[i] = rver[e] :: else -> skip fi; i++
            :: else -> break
            od
        :: else -> skip
        fi;
#else
        if   /* a creation answered with version 1: the first version is this laptop's own */
        :: b == 0 && rver[e] == 1 && L[l].applied == 0 -> L[l].applied = 1
        :: else -> skip
        fi;
#endif
        f = efield[e];
        is_pending(l, f);
        if
        :: pending -> skip   /* edited again since: that change decides */
        :: !pending && L[l].sver[f] > rver[e] ->
            /* a page newer than this answer came while the change was unsent: its value is the server's */
            L[l].lval[f] = L[l].sval[f]
        :: !pending && L[l].sver[f] <= rver[e] && rsafe[e] ->
            L[l].lval[f] = rval[e]   /* the server kept its safety-critical value: show it */
        :: else -> skip
        fi;
        if :: !pending -> L[l].sver[f] = 0; L[l].sval[f] = 0 :: else -> skip fi;
        f = 0;
        L[l].reply = NONE;
        printf("laptop %d: acknowledge %d (reported v%d); applied v%d\n", l, e, rver[e], L[l].applied);
        e = 0; b = 0; i = 0; pending = false
    }
}

inline pull(l) {
    atomic {
        !L[l].page && L[l].reply == NONE ->   /* one cycle: pull after the acknowledgements */
        L[l].page = true;
        if   /* the change log: the record comes only if it changed after the cursor */
        :: ver > L[l].cursor -> L[l].pver = ver; L[l].pval[0] = val[0]; L[l].pval[1] = val[1]
        :: else -> L[l].pver = 0
        fi;
        printf("laptop %d: pull a page at v%d\n", l, ver)
    }
}

inline apply(l) {
    atomic {
        L[l].page ->
        if
        :: L[l].pver == 0 -> skip   /* an empty page */
        :: L[l].pver > 0 && L[l].pver >= L[l].applied ->   /* apply.py: never over a newer version or unsent field */
            is_pending(l, 0);
            if :: !pending -> L[l].lval[0] = L[l].pval[0] :: else -> L[l].sval[0] = L[l].pval[0]; L[l].sver[0] = L[l].pver fi;
            is_pending(l, 1);
            if :: !pending -> L[l].lval[1] = L[l].pval[1] :: else -> L[l].sval[1] = L[l].pval[1]; L[l].sver[1] = L[l].pver fi;
            L[l].applied = L[l].pver
        :: else -> skip
        fi;
        if :: L[l].pver > L[l].cursor -> L[l].cursor = L[l].pver :: else -> skip fi;
        printf("laptop %d: apply the page; applied v%d, shows %d and %d\n", l, L[l].applied, L[l].lval[0], L[l].lval[1]);
        L[l].page = false; L[l].pver = 0; L[l].pval[0] = 0; L[l].pval[1] = 0; pending = false
    }
}

inline crash(l) {
    atomic {
        L[l].reply != NONE || L[l].page ->
        L[l].reply = NONE; L[l].page = false; L[l].pver = 0; L[l].pval[0] = 0; L[l].pval[1] = 0;
        printf("laptop %d: crash or dropped connection\n", l)
    }
}

/* When nothing is waiting or on its way, one more clean pull must leave every laptop showing the server's values. */
inline converged() {
    atomic {
        L[0].qn == 0 && L[1].qn == 0 && L[0].reply == NONE && L[1].reply == NONE && !L[0].page && !L[1].page ->
        i = 0;
        do
        :: i < LAPTOPS ->
            assert(ver <= L[i].cursor -> (L[i].lval[0] == val[0] && L[i].lval[1] == val[1]) : true);
            i++
        :: else -> break
        od;
        i = 0
    }
}

init {
    atomic {
        fv[0] = 1; fv[1] = 1; fd[0] = LAPTOPS; fd[1] = LAPTOPS;
        L[0].applied = 1; L[1].applied = 1;
        L[0].reply = NONE; L[1].reply = NONE
    }
    do
    :: edit(0, 0) :: edit(0, 1) :: edit(1, 0) :: edit(1, 1)
    :: push(0) :: push(1)
    :: acknowledge(0) :: acknowledge(1)
    :: pull(0) :: pull(1)
    :: apply(0) :: apply(1)
    :: crash(0) :: crash(1)
    :: converged()
    od
}
