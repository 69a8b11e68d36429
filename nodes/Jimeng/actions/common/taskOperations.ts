/** The operations that run Jimeng tasks: the wait parameters and the Options collection show for them. */
export const TASK_OPERATIONS = ['submit', 'getTask'];
