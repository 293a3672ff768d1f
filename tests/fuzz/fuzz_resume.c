/*
 * fuzz_resume.c - the resume file reader (BASE.resume): every key, its
 * bounds, and the checks of the values against each other.
 */
#include "acquire/resume/resume_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acq_resume_file rf;

	if (acq_resume_file_parse((const char *)data, size, "fuzz.resume", &rf, NULL) == CU_OK)
		acq_resume_file_free(&rf);
	return 0;
}
