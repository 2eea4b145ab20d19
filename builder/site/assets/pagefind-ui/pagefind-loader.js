/* Imports a module for archive-search.js. The page's Content-Security-Policy allows its script files by
 * hash with 'strict-dynamic' (and not 'self', so no other file of the site can run): a script the page's
 * HTML names may not import() by itself, but this module, added by archive-search.js as a script element
 * of its own, may, and so can load Pagefind (pagefind/pagefind.js, written after the pages). */
window.__archiveImport = (url) => import(url);
