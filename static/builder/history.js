// 撤销/重做: the states the designer went through, as snapshots (definitions are small). A run
// of edits of one input (typing a title) is one step: commits with the same `merge` key within
// a moment replace the top instead of adding one.

const MERGE_MS = 1500;
const LIMIT = 200;

export class History {
  constructor(state) {
    this.state = state;
    this.past = [];
    this.future = [];
    this.lastMerge = null;
    this.lastAt = 0;
  }

  /** Make `next` the state; returns false when nothing changed. */
  commit(next, merge = null) {
    if (next === this.state) return false;
    const now = Date.now();
    const merging = merge && merge === this.lastMerge && now - this.lastAt < MERGE_MS;
    if (!merging) {
      this.past.push(this.state);
      if (this.past.length > LIMIT) this.past.shift();
    }
    this.state = next;
    this.future = [];
    this.lastMerge = merge;
    this.lastAt = now;
    return true;
  }

  undo() {
    if (!this.past.length) return false;
    this.future.push(this.state);
    this.state = this.past.pop();
    this.lastMerge = null;
    return true;
  }

  redo() {
    if (!this.future.length) return false;
    this.past.push(this.state);
    this.state = this.future.pop();
    this.lastMerge = null;
    return true;
  }

  /** A fresh start (the draft reloaded from the server). */
  reset(state) {
    this.state = state;
    this.past = [];
    this.future = [];
    this.lastMerge = null;
  }
}
