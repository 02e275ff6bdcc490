/* paths.h — where the lesson tests find the course and the shipped models. */
#ifndef TESTS_LESSON_PATHS_H
#define TESTS_LESSON_PATHS_H

#include <stdlib.h>

#define MODELS_DIR "assets/models"
/* LESSON_TEST_MODELS=DIR checks the course against another models folder. */
static inline const char *models_dir(void) {
    const char *e = getenv("LESSON_TEST_MODELS");
    return e && *e ? e : MODELS_DIR;
}
#define LESSONS_DIR "lessons"

#endif
