import type { HandleClientError } from '@sveltejs/kit';

// A page that doesn't exist is an ordinary event, not an error worth logging; anything else is
// kept in this browser's console only (Tend never reports errors anywhere).
export const handleError: HandleClientError = ({ error, status, message }) => {
  if (status !== 404) {
    // eslint-disable-next-line no-console
    console.error(error);
  }
  return { message };
};
