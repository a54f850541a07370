// Unknown paths: a 404 thrown from a matched route, so the root loader still
// runs and the error page keeps the signed-in layout.
export async function loader() {
  throw new Response('errors.notFound', { status: 404 })
}

export default function NotFound() {
  return null
}
