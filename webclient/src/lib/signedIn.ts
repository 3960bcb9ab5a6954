/** A non-secret "this browser has signed in before" flag in localStorage (the token stays HttpOnly). */
const KEY = 'devsync.signedIn';

export const signedInHint = {
  get(): boolean {
    try {
      return localStorage.getItem(KEY) === '1';
    } catch {
      return true;
    }
  },
  set(value: boolean): void {
    try {
      if (value) localStorage.setItem(KEY, '1');
      else localStorage.removeItem(KEY);
    } catch {
      /* storage disabled: fall back to asking the server */
    }
  },
};
